package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.UnsafePathException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code config.sh} (register, unregister) in an install directory as the runner's user ({@link RunnerUser}). The registration token
 * travels only in the {@code ACTIONS_RUNNER_INPUT_TOKEN} environment variable, which config.sh reads for its
 * {@code --token} option: never on a command line (visible in /proc to every user), and it is scrubbed from whatever
 * config.sh prints before that text can reach a message, a plan, a report or a log.
 */
final class RunnerConfig {
    static final String TOKEN_VARIABLE = "ACTIONS_RUNNER_INPUT_TOKEN";
    private static final Duration CONFIG_TIMEOUT = Duration.ofMinutes(5);
    private static final String REDACTED = "[redacted]";
    /** A registration token is a few dozen characters. */
    private static final long TOKEN_FILE_CAP = 4L << 10;

    /** Where a token comes from: a box file or a variable of the agent's environment. */
    record TokenSource(String file, String env) {
        String describe() {
            return file != null ? "tokenFile " + file : "environment variable " + env;
        }
    }

    private final Map<String, String> agentEnv;

    RunnerConfig(Map<String, String> agentEnv) {
        this.agentEnv = agentEnv;
    }

    /** Registers the runner (config.sh --unattended ... --replace); the directory must hold no registration. */
    void register(RunnerSpec s, Host host) throws ResourceException {
        List<String> args = new ArrayList<>(List.of("--unattended", "--url", s.url(), "--name", s.name()));
        if (!s.labels().isEmpty()) args.addAll(List.of("--labels", RunnerLayout.labels(s.labels())));
        args.addAll(List.of("--work", "_work", "--replace", "--disableupdate"));
        if (s.ephemeral()) args.add("--ephemeral");
        if (s.group() != null) args.addAll(List.of("--runnergroup", s.group()));
        TokenSource source = new TokenSource(s.tokenFile(), s.tokenEnv());
        run(host, host.path(s.installDir()), s.runAs(), args, source, s.url(), "register");
    }

    /** Unregisters the runner of {@code dir} (config.sh remove). */
    void unregister(Host host, Path dir, String runAs, TokenSource source, String url) throws ResourceException {
        run(host, dir, runAs, List.of("remove"), source, url, "unregister");
    }

    private void run(Host host, Path dir, String runAs, List<String> args, TokenSource source, String url, String what)
            throws ResourceException {
        String token = token(host, source, url);
        Map<String, String> env = new HashMap<>();
        env.put(TOKEN_VARIABLE, token);
        if (RunnerUser.asRoot(host, runAs)) env.put("RUNNER_ALLOW_RUNASROOT", "1");
        CommandResult r;
        try {
            r = RunnerUser.run(host, runAs, dir.resolve("config.sh"), args, env, dir, CONFIG_TIMEOUT);
        } catch (IOException e) {
            throw new ResourceException("cannot run " + dir.resolve("config.sh") + ": " + scrub(String.valueOf(e.getMessage()), token));
        }
        if (r.ok()) return;
        String output = scrub((r.stdout() + "\n" + r.stderr()).strip(), token);
        if (r.timedOut()) throw new ResourceException("config.sh (" + what + ") timed out after " + CONFIG_TIMEOUT.toMinutes() + " minutes");
        if (tokenRejected(output)) {
            throw new ResourceException("GitHub refused the registration token from " + source.describe() + " (expired, already used or not valid for "
                    + url + "): " + relevantLine(output) + ". Registration tokens expire after one hour: create a new one ("
                    + tokenHint(url) + ") and " + (source.file() != null ? "write it to " + source.file() + " (mode 0600)" : "set " + source.env() + " in the agent's environment")
                    + ", then apply again");
        }
        throw new ResourceException("config.sh (" + what + ") exited " + r.exitCode() + ": " + lastLines(output, 5));
    }

    /**
     * The token, read at apply time only. Its content never reaches a message. A token file is read through
     * {@link io.devbox.agent.host.BoxFs}: should it lie in a tree a user controls, a link there to a root-only file is
     * refused rather than handed to config.sh (which runs as runAs).
     */
    String token(Host host, TokenSource source, String url) throws ResourceException {
        String advice = "create a registration token (" + tokenHint(url) + ") and ";
        String token;
        if (source.file() != null) {
            Path f = host.path(source.file());
            Optional<byte[]> content;
            try {
                content = host.fs().read(f, TOKEN_FILE_CAP, "a registration token file");
            } catch (UnsafePathException e) {
                throw new ResourceException("cannot read the registration token file: " + e.getMessage());
            } catch (IOException e) {
                throw new ResourceException("cannot read the registration token file " + source.file() + ": " + e.getClass().getSimpleName());
            }
            if (content.isEmpty()) {
                throw new ResourceException("no registration token: " + source.file() + " does not exist; " + advice + "write it to "
                        + source.file() + " (mode 0600), then apply again");
            }
            token = new String(content.get(), StandardCharsets.UTF_8).strip();
        } else {
            token = agentEnv.getOrDefault(source.env(), "").strip();
            if (token.isEmpty()) {
                throw new ResourceException("no registration token: the environment variable " + source.env() + " is not set for the agent; "
                        + advice + "set it, then apply again");
            }
        }
        if (token.isEmpty()) throw new ResourceException("no registration token: " + source.file() + " is empty; " + advice + "write it there, then apply again");
        if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new ResourceException("the registration token in " + source.describe() + " is not one word of printable characters; write only the token there");
        }
        return token;
    }

    /** The token out of config.sh's output: as it is, in any letter case and base64-encoded. */
    static String scrub(String text, String token) {
        return io.devbox.agent.host.Redactor.scrub(text, token, REDACTED);
    }

    static boolean tokenRejected(String output) {
        String o = output.toLowerCase(Locale.ROOT);
        return o.contains("expired") || o.contains("http response code: notfound") || o.contains("http response code: unauthorized")
                || o.contains("http response code: forbidden") || o.contains(" 401") || o.contains("unauthorized")
                || o.contains("invalid token") || o.contains("bad credentials");
    }

    private static String relevantLine(String output) {
        for (String line : output.split("\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.contains("http response code") || l.contains("expired") || l.contains("401") || l.contains("unauthorized")
                    || l.contains("invalid token") || l.contains("bad credentials")) {
                return line.strip();
            }
        }
        return lastLines(output, 1);
    }

    private static String lastLines(String output, int n) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String s = String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        return s.length() > 600 ? s.substring(s.length() - 600) : s.isEmpty() ? "(no output)" : s;
    }

    /** How to get a token for this URL with the GitHub CLI, or where in the web UI. */
    static String tokenHint(String url) {
        String path = url == null ? "" : URI.create(url).getPath().replaceAll("^/+|/+$", "");
        String api = path.contains("/") ? "repos/" + path : "orgs/" + path;
        return "Settings > Actions > Runners > New self-hosted runner, or: gh api -X POST " + api
                + "/actions/runners/registration-token --jq .token";
    }
}
