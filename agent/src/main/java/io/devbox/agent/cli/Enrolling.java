package io.devbox.agent.cli;

/** What {@code enroll} and {@code leave} share: who may run them and with which of the common options. */
final class Enrolling {
    private Enrolling() {
    }

    /** Why the command cannot run with these options, or null. */
    static String refuse(CommonOptions common, String command) {
        if (common.config != null) {
            return command + " keeps <root>/etc/devbox-agent/agent.yaml, the file the agent's service reads; --config is "
                    + "not for " + command;
        }
        boolean sandbox = common.root != null && !common.root.toAbsolutePath().normalize().toString().equals("/");
        if (!sandbox && !"root".equals(System.getProperty("user.name"))) {
            return command + " changes this box (its agent config and service): run it as root (sudo)";
        }
        return null;
    }
}
