package io.devbox.agent.source;

import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Commands;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.ChainingCredentialsProvider;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.NetRCCredentialsProvider;
import org.eclipse.jgit.transport.URIish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials for https remotes from the usual places, never from profiles: {@code ~/.netrc}, then git's
 * credential helpers through {@code git credential fill} (so whatever helper the user configured, e.g.
 * {@code store}, {@code libsecret} or a corporate manager, answers; no prompt: {@code GIT_TERMINAL_PROMPT=0}).
 * SSH remotes authenticate with JGit's Apache MINA sshd client: keys in {@code ~/.ssh} and {@code ~/.ssh/config},
 * hosts checked against {@code ~/.ssh/known_hosts}.
 */
public final class GitCredentials {
    private GitCredentials() {
    }

    public static CredentialsProvider forFetch(Commands commands) {
        return new ChainingCredentialsProvider(new NetRCCredentialsProvider(), new CredentialHelper(commands));
    }

    /** Asks {@code git credential fill}; a missing git or helper means no credentials, not an error. */
    static final class CredentialHelper extends CredentialsProvider {
        private final Commands commands;

        CredentialHelper(Commands commands) {
            this.commands = commands;
        }

        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public boolean supports(CredentialItem... items) {
            for (CredentialItem i : items) {
                if (!(i instanceof CredentialItem.Username) && !(i instanceof CredentialItem.Password)) return false;
            }
            return true;
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) return false;
            Map<String, String> answer = fill(uri);
            if (answer == null || !answer.containsKey("password")) return false;
            for (CredentialItem i : items) {
                if (i instanceof CredentialItem.Username u) u.setValue(answer.getOrDefault("username", uri.getUser()));
                else if (i instanceof CredentialItem.Password p) p.setValue(answer.get("password").toCharArray());
                else throw new UnsupportedCredentialItem(uri, i.getPromptText());
            }
            return true;
        }

        private Map<String, String> fill(URIish uri) {
            StringBuilder in = new StringBuilder();
            in.append("protocol=").append(uri.getScheme()).append('\n');
            in.append("host=").append(uri.getHost()).append(uri.getPort() > 0 ? ":" + uri.getPort() : "").append('\n');
            if (uri.getPath() != null) in.append("path=").append(uri.getPath().replaceFirst("^/", "")).append('\n');
            if (uri.getUser() != null) in.append("username=").append(uri.getUser()).append('\n');
            in.append('\n');
            try {
                CommandResult r = commands.run(List.of("git", "credential", "fill"),
                        Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ASKPASS", "", "SSH_ASKPASS", ""), null,
                        Duration.ofSeconds(30), in.toString().getBytes(StandardCharsets.UTF_8));
                if (!r.ok()) return null;
                return parse(r.stdout());
            } catch (IOException e) {
                return null;
            }
        }

        static Map<String, String> parse(String out) {
            Map<String, String> m = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
            }
            return m;
        }
    }
}
