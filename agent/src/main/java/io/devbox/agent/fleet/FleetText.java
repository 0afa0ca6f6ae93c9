package io.devbox.agent.fleet;

import io.devbox.agent.host.Printable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code agent fleet} as a table: one line per box, then the resources that drift on most boxes. */
public final class FleetText {
    private FleetText() {
    }

    /** HOST, STATUS, COMMIT, LAG, SEEN, OK, CHANGE, DRIFT, ERROR, SKIPPED, OVERRIDES; every reported string escaped. */
    public static String render(ObjectNode fleet) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-24s %-7s %-8s %5s %8s %5s %6s %5s %5s %7s  %s%n", "HOST", "STATUS", "COMMIT", "LAG", "SEEN",
                "OK", "CHANGE", "DRIFT", "ERROR", "SKIPPED", "OVERRIDES"));
        for (JsonNode h : fleet.path("hosts")) {
            String host = safe(h.path("hostname").asString(""));
            if (h.has("error")) {
                sb.append(String.format("%-24s %-7s %s%n", host, "error", safe(h.path("error").asString(""))));
                continue;
            }
            JsonNode s = h.path("summary");
            String commit = h.path("commit").isString() ? safe(h.path("commit").asString()) : "-";
            StringBuilder ov = new StringBuilder();
            for (JsonNode o : h.path("overrides")) ov.append(ov.isEmpty() ? "" : ", ").append(safe(o.path("id").asString("")));
            String err = h.path("source").path("error").isString() ? "  source: " + safe(h.path("source").path("error").asString()) : "";
            String seen = age(h.path("ageSeconds")) + (h.path("stale").asBoolean(false) ? "!" : "");
            sb.append(String.format("%-24s %-7s %-8s %5s %8s %5d %6d %5d %5d %7d  %s%s%n", host, h.path("status").asString(""),
                    commit.substring(0, Math.min(7, commit.length())), h.path("lag").isNumber() ? h.path("lag").asString() : "-",
                    seen, s.path("ok").asInt(), s.path("change").asInt(), s.path("drift").asInt(), s.path("error").asInt(),
                    s.path("skipped").asInt(), ov.isEmpty() ? "-" : ov, err));
        }
        int n = fleet.path("hosts").size();
        long stale = 0;
        for (JsonNode h : fleet.path("hosts")) if (h.path("stale").asBoolean(false)) stale++;
        sb.append(n).append(n == 1 ? " box" : " boxes").append(" reporting to ").append(safe(fleet.path("repo").asString("")));
        if (stale > 0) sb.append("; ").append(stale).append(" not seen for ").append(age(fleet.path("staleAfterSeconds"))).append(" (!)");
        sb.append('\n');
        int shown = 0;
        for (JsonNode d : fleet.path("drift")) {
            if (shown++ == 0) sb.append("Drift:\n");
            if (shown > 10) {
                sb.append("  ... ").append(fleet.path("drift").size() - 10).append(" more resources\n");
                break;
            }
            sb.append(String.format("  %-48s %d of %d boxes%n", safe(d.path("id").asString("")), d.path("boxes").asInt(), n));
        }
        return sb.toString();
    }

    private static String safe(String s) {
        return Printable.escape(s);
    }

    static String age(JsonNode seconds) {
        if (!seconds.isNumber()) return "?";
        long s = seconds.asLong();
        if (s < 120) return s + "s";
        if (s < 7200) return (s / 60) + "m";
        if (s < 172800) return (s / 3600) + "h";
        return (s / 86400) + "d";
    }
}
