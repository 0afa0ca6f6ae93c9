package io.devbox.agent.enrol;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.profile.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What enrols a box: the settings {@code enroll} writes into the agent config file. Two enrolments are the same when
 * these settings are; comments, order and settings enroll does not write (history, metrics) do not count.
 *
 * @param repo the only required setting: a box without one is not enrolled
 */
public record Enrolment(String repo, String ref, String path, String mode, Duration interval, Map<String, String> labels,
                        String hostname, String user, Path stateDir, boolean verifyCommits, Path allowedSigners,
                        Path gpgKeys, boolean requireFastForward) {
    public Enrolment {
        labels = Map.copyOf(new TreeMap<>(labels));
    }

    /** The enrolment a config file holds; {@link #enrols()} is false for one without a repository. */
    public static Enrolment of(AgentConfig c) {
        AgentConfig.Verify v = c.verify();
        return new Enrolment(c.repo(), c.ref(), c.path(), c.mode(), c.interval(), c.labels(), c.hostname(), c.user(),
                c.stateDir(), Boolean.TRUE.equals(v.commits()), v.allowedSigners(), v.gpgKeys(),
                Boolean.TRUE.equals(v.requireFastForward()));
    }

    public boolean enrols() {
        return repo != null;
    }

    /**
     * The config file: the settings, each with the option it came from, under a header saying who wrote it and how
     * to change it. Every value is a double-quoted YAML string (JSON escapes), so no value can change the document's
     * shape.
     *
     * @param program the command as the user typed it ({@code devbox-agent})
     * @param at      when (an ISO instant)
     */
    public String render(String program, String at) {
        List<String> lines = new ArrayList<>();
        lines.add("# /etc/devbox-agent/agent.yaml: this box's enrolment, written by `" + program + " enroll` at " + at + ".");
        lines.add("# Each setting names the option it came from. Change them with `" + program + " enroll --force ...`,");
        lines.add("# or edit this file and run `systemctl reload devbox-agent` (the agent re-reads it on SIGHUP);");
        lines.add("# leave with `" + program + " leave [--prune]`.");
        lines.add("");
        setting(lines, "repo", repo, "--repo");
        setting(lines, "ref", ref, "--ref");
        setting(lines, "path", path, "--path");
        setting(lines, "mode", mode, "--mode");
        setting(lines, "interval", interval == null ? null : Durations.format(interval), "--interval");
        setting(lines, "hostname", hostname, "--hostname");
        setting(lines, "user", user, "--user");
        setting(lines, "stateDir", stateDir == null ? null : stateDir.toString(), "--state-dir");
        if (!labels.isEmpty()) {
            lines.add("labels:                # --label");
            labels.forEach((k, v) -> lines.add("  " + quote(k) + ": " + quote(v)));
        }
        if (verifyCommits || allowedSigners != null || gpgKeys != null || requireFastForward) {
            lines.add("verify:");
            if (verifyCommits) lines.add("  commits: true        # --verify-commits");
            if (allowedSigners != null) lines.add("  allowedSigners: " + quote(allowedSigners.toString()) + "   # --allowed-signers");
            if (gpgKeys != null) lines.add("  gpgKeys: " + quote(gpgKeys.toString()) + "   # --gpg-keys");
            if (requireFastForward) lines.add("  requireFastForward: true   # --require-fast-forward");
        }
        return String.join("\n", lines) + "\n";
    }

    private static void setting(List<String> lines, String key, String value, String option) {
        if (value != null) lines.add(key + ": " + quote(value) + "   # " + option);
    }

    /** A YAML double-quoted scalar (a JSON string is one). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The differences from another enrolment, as {@code setting: old -> new} lines (for a refused overwrite). */
    public List<String> differences(Enrolment other) {
        Map<String, Object[]> pairs = new LinkedHashMap<>();
        pairs.put("repo", new Object[]{repo, other.repo});
        pairs.put("ref", new Object[]{ref, other.ref});
        pairs.put("path", new Object[]{path, other.path});
        pairs.put("mode", new Object[]{mode, other.mode});
        pairs.put("interval", new Object[]{interval, other.interval});
        pairs.put("labels", new Object[]{labels, other.labels});
        pairs.put("hostname", new Object[]{hostname, other.hostname});
        pairs.put("user", new Object[]{user, other.user});
        pairs.put("stateDir", new Object[]{stateDir, other.stateDir});
        pairs.put("verify.commits", new Object[]{verifyCommits, other.verifyCommits});
        pairs.put("verify.allowedSigners", new Object[]{allowedSigners, other.allowedSigners});
        pairs.put("verify.gpgKeys", new Object[]{gpgKeys, other.gpgKeys});
        pairs.put("verify.requireFastForward", new Object[]{requireFastForward, other.requireFastForward});
        List<String> out = new ArrayList<>();
        pairs.forEach((k, v) -> {
            if (!java.util.Objects.equals(v[0], v[1])) out.add(k + ": " + show(v[0]) + " -> " + show(v[1]));
        });
        return out;
    }

    private static String show(Object o) {
        if (o instanceof Duration d) return Durations.format(d);
        return o == null ? "(absent)" : o.toString();
    }
}
