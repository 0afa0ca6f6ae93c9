package io.devbox.agent.fleet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code agent fleet --html FILE}: one self-contained page for a team lead, made from {@link Fleet#read}'s document:
 * counts, filters by status and label, every box with its lag, last report and counts, the resources that drift or
 * fail on most boxes, and an SVG chart of the latest commits' rollout. No request leaves the page: CSS, script and
 * SVG are inline, and its Content-Security-Policy allows nothing else (only this page's own style and script, by
 * hash, so markup smuggled in by a report could not run either). Every string from a report or a commit is escaped.
 */
public final class FleetPage {
    private static final String CSS = resource("fleet-page.css");
    private static final String JS = resource("fleet-page.js");
    private static final List<String> STATUSES = List.of("error", "drift", "change", "ok");

    private FleetPage() {
    }

    public static String render(ObjectNode fleet) {
        List<JsonNode> hosts = new ArrayList<>();
        fleet.path("hosts").forEach(hosts::add);
        hosts.sort((a, b) -> {
            int c = Integer.compare(severity(a), severity(b));
            return c != 0 ? c : a.path("hostname").asString("").compareTo(b.path("hostname").asString(""));
        });
        int total = hosts.size();
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
                + "content=\"default-src 'none'; style-src '" + sha256(CSS) + "'; script-src '" + sha256(JS) + "'\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .text("devbox fleet: " + total + (total == 1 ? " box" : " boxes")).raw("</title>\n<style>").raw(CSS)
                .raw("</style></head>\n<body>\n<header><h1>devbox fleet</h1><p class=\"meta\">")
                .text(total + (total == 1 ? " box" : " boxes") + " reporting to " + fleet.path("repo").asString(""));
        JsonNode head = fleet.path("head");
        if (head.path("commit").isString()) {
            h.text(" · branch " + (head.path("ref").isString() ? head.path("ref").asString() : "HEAD") + " at ")
                    .raw("<code>").text(shortId(head.path("commit").asString())).raw("</code>");
        } else if (head.path("error").isString()) {
            h.text(" · no branch head, so no lags: " + head.path("error").asString());
        }
        h.text(" · generated " + fleet.path("generatedAt").asString("") + " · stale after "
                + FleetText.age(fleet.path("staleAfterSeconds"))).raw("</p></header>\n");
        tiles(h, hosts);
        filters(h, hosts);
        table(h, hosts);
        resources(h, "drift", "Drift: resources that drift, on how many boxes", fleet.path("drift"), total);
        resources(h, "errors", "Errors: resources that fail, on how many boxes", fleet.path("errors"), total);
        rollout(h, fleet.path("rollout"), total);
        h.raw("<script>").raw(JS).raw("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void tiles(Html h, List<JsonNode> hosts) {
        h.raw("<section class=\"tiles\" id=\"overview\">");
        for (String s : STATUSES) {
            long n = hosts.stream().filter(x -> x.path("status").asString("").equals(s)).count();
            h.raw("<div class=\"tile " + s + "\" data-count=\"" + s + "\"><b>" + n + "</b>").text(s).raw("</div>");
        }
        long stale = hosts.stream().filter(x -> x.path("stale").asBoolean(false)).count();
        h.raw("<div class=\"tile stale\" data-count=\"stale\"><b>" + stale + "</b>stale</div></section>\n");
    }

    private static void filters(Html h, List<JsonNode> hosts) {
        TreeSet<String> labels = new TreeSet<>();
        for (JsonNode x : hosts) labels.addAll(labelPairs(x));
        h.raw("<section id=\"filters\"><label>Status <select id=\"f-status\"><option value=\"\">all</option>");
        for (String s : STATUSES) h.raw("<option value=\"" + s + "\">" + s + "</option>");
        h.raw("<option value=\"stale\">stale</option></select></label>\n<label>Label <select id=\"f-label\"><option value=\"\">all</option>");
        for (String l : labels) h.raw("<option value=\"").attr(l).raw("\">").text(l).raw("</option>");
        h.raw("</select></label>\n<label>Host <input id=\"f-host\" type=\"search\" placeholder=\"name contains\"></label>"
                + "<span id=\"shown\" class=\"meta\">").text(hosts.size() + " of " + hosts.size() + " boxes").raw("</span></section>\n");
    }

    private static void table(Html h, List<JsonNode> hosts) {
        h.raw("<section><table id=\"hosts\"><thead><tr><th>Box</th><th>Status</th><th>Commit</th><th class=\"n\">Behind</th>"
                + "<th>Last seen</th><th class=\"n\">Drift</th><th class=\"n\">Errors</th><th class=\"n\">Overrides</th>"
                + "<th class=\"n\">Skipped</th><th>Labels</th><th>Details</th></tr></thead>\n<tbody>\n");
        for (JsonNode x : hosts) {
            String status = x.path("status").asString("error");
            boolean stale = x.path("stale").asBoolean(false);
            JsonNode s = x.path("summary");
            h.raw("<tr class=\"box" + (stale ? " stale" : "") + "\" data-status=\"").attr(status).raw("\" data-flags=\"")
                    .attr(String.join(" ", flags(x, status, stale))).raw("\" data-host=\"").attr(x.path("hostname").asString("")).raw("\" data-labels=\"")
                    .attrLines(labelPairs(x)).raw("\">");
            h.raw("<td class=\"host\">").text(x.path("hostname").asString("")).raw("</td>");
            h.raw("<td class=\"status\"><span class=\"badge ").attr(status).raw("\">").text(status).raw("</span></td>");
            String commit = x.path("commit").isString() ? x.path("commit").asString() : null;
            h.raw("<td class=\"commit mono\" title=\"").attr(commit == null ? "" : commit).raw("\">").text(commit == null ? "–" : shortId(commit)).raw("</td>");
            h.raw("<td class=\"n lag\">").text(x.path("lag").isNumber() ? x.path("lag").asString() : commit == null ? "–" : "not on branch").raw("</td>");
            h.raw("<td class=\"seen\" title=\"").attr(x.path("reportedAt").asString("")).raw("\">")
                    .text(x.path("ageSeconds").isNumber() ? FleetText.age(x.path("ageSeconds")) + " ago" + (stale ? " (stale)" : "") : "never")
                    .raw("</td>");
            count(h, "drift", s.path("drift").asInt(0));
            count(h, "errors", s.path("error").asInt(0));
            count(h, "overrides", Math.max(s.path("override").asInt(0), x.path("overrides").size()));
            count(h, "skipped", s.path("skipped").asInt(0));
            h.raw("<td class=\"labels\">").text(String.join(", ", labelPairs(x))).raw("</td><td class=\"details\">");
            details(h, x);
            h.raw("</td></tr>\n");
        }
        h.raw("</tbody></table></section>\n");
    }

    /**
     * What the status filter matches: the box's status, and also drift and change when an error outranks them (a box
     * that fails and drifts shows under both), and stale.
     */
    private static List<String> flags(JsonNode x, String status, boolean stale) {
        List<String> out = new ArrayList<>(List.of(status));
        JsonNode s = x.path("summary");
        if (!status.equals("drift") && s.path("drift").asInt(0) > 0) out.add("drift");
        if (!status.equals("change") && s.path("change").asInt(0) > 0) out.add("change");
        if (stale) out.add("stale");
        return out;
    }

    private static void count(Html h, String name, int n) {
        h.raw("<td class=\"n " + name + (n == 0 ? " zero" : "") + "\">" + n + "</td>");
    }

    private static void details(Html h, JsonNode x) {
        List<String> lines = new ArrayList<>();
        if (x.path("error").isString()) lines.add(x.path("error").asString());
        if (x.path("source").path("error").isString()) lines.add("source: " + x.path("source").path("error").asString());
        for (JsonNode d : x.path("drift")) lines.add("drift: " + d.asString(""));
        for (JsonNode e : x.path("errors")) lines.add("error: " + e.asString(""));
        for (JsonNode o : x.path("overrides")) {
            lines.add("override: " + o.path("id").asString("") + (o.path("reason").isString() ? ": " + o.path("reason").asString() : "")
                    + (o.path("until").isString() ? " (until " + o.path("until").asString() + ")" : ""));
        }
        if (x.path("run").path("id").isString()) lines.add("run " + x.path("run").path("id").asString());
        if (lines.isEmpty()) return;
        h.raw("<details><summary>details</summary><ul>");
        for (String l : lines) h.raw("<li>").text(l).raw("</li>");
        h.raw("</ul></details>");
    }

    private static void resources(Html h, String id, String title, JsonNode list, int total) {
        h.raw("<section id=\"" + id + "\"><h2>").text(title).raw("</h2>");
        if (list.isEmpty()) {
            h.raw("<p class=\"note\">none</p></section>\n");
            return;
        }
        h.raw("<table class=\"resources\"><tbody>\n");
        for (JsonNode r : list) {
            int n = r.path("boxes").asInt(0);
            int width = total == 0 ? 0 : Math.max(2, 160 * n / total);
            List<String> names = new ArrayList<>();
            r.path("hosts").forEach(x -> names.add(x.asString("")));
            h.raw("<tr><td class=\"resource mono\">").text(r.path("id").asString("")).raw("</td><td class=\"count\">")
                    .text(n + " of " + total + (total == 1 ? " box" : " boxes")).raw("</td><td><svg width=\"160\" height=\"12\" "
                            + "aria-hidden=\"true\"><rect class=\"bar " + id + "\" x=\"0\" y=\"1\" height=\"10\" width=\"" + width
                            + "\"></rect></svg></td><td class=\"hosts\">").text(String.join(", ", names)).raw("</td></tr>\n");
        }
        h.raw("</tbody></table></section>\n");
    }

    private static void rollout(Html h, JsonNode rollout, int total) {
        h.raw("<section id=\"rollout\"><h2>Rollout: boxes on each of the latest commits</h2>");
        List<String[]> bars = new ArrayList<>();
        boolean first = true;
        for (JsonNode c : rollout.path("commits")) {
            bars.add(new String[]{shortId(c.path("commit").asString("")) + "  " + clip(c.path("subject").asString(""), 48),
                    c.path("boxes").asString("0"), first ? "head" : "rollout"});
            first = false;
        }
        if (bars.isEmpty()) {
            h.raw("<p class=\"note\">no branch head to compare with</p></section>\n");
            return;
        }
        bars.add(new String[]{"older commits of the branch", rollout.path("older").asString("0"), "other"});
        bars.add(new String[]{"not on the branch, or no commit", rollout.path("elsewhere").asString("0"), "other"});
        int rowHeight = 22;
        int height = bars.size() * rowHeight + 4;
        h.raw("<svg id=\"rollout-chart\" role=\"img\" width=\"760\" height=\"" + height + "\" viewBox=\"0 0 760 " + height
                + "\"><title>").text("Boxes per commit").raw("</title>");
        for (int i = 0; i < bars.size(); i++) {
            String[] b = bars.get(i);
            int n = Integer.parseInt(b[1]);
            int y = i * rowHeight + 2;
            int width = total == 0 ? 0 : 300 * n / total;
            h.raw("<g class=\"commit\" data-boxes=\"" + n + "\"><text class=\"mono\" x=\"0\" y=\"" + (y + 14) + "\">").text(b[0])
                    .raw("</text><rect class=\"bar " + b[2] + "\" x=\"400\" y=\"" + (y + 3) + "\" height=\"14\" width=\""
                            + Math.max(n > 0 ? 2 : 0, width) + "\"></rect><text x=\"" + (406 + width) + "\" y=\"" + (y + 14) + "\">")
                    .text(String.valueOf(n)).raw("</text></g>");
        }
        h.raw("</svg></section>\n");
    }

    private static List<String> labelPairs(JsonNode host) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : host.path("labels").properties()) out.add(e.getKey() + "=" + e.getValue().asString(""));
        return out;
    }

    private static int severity(JsonNode host) {
        int i = STATUSES.indexOf(host.path("status").asString(""));
        return i < 0 ? 0 : i;
    }

    private static String shortId(String commit) {
        return commit.substring(0, Math.min(7, commit.length()));
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = FleetPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
