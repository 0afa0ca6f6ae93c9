package io.devbox.agent.fleet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class FleetPageTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EVIL = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\"'&\u001b[2J";

    private static ObjectNode hostileFleet() {
        ObjectNode f = (ObjectNode) JSON.readTree("""
                {"repo": "git://h/f.git", "generatedAt": "2026-12-01T10:00:00Z", "staleAfterSeconds": 10800,
                 "head": {"ref": null, "commit": "0123456789abcdef0123456789abcdef01234567"},
                 "hosts": [
                   {"hostname": "dev-1", "status": "ok", "stale": false, "ageSeconds": 30, "commit": "0123456789abcdef0123456789abcdef01234567",
                    "lag": 0, "labels": {"team": "backend"}, "summary": {"ok": 3, "skipped": 1}, "drift": [], "errors": [], "overrides": []},
                   {"hostname": "EVIL", "status": "error", "stale": true, "ageSeconds": 90000, "commit": "EVIL", "lag": null,
                    "labels": {"team": "EVIL"}, "summary": {"drift": 1, "error": 1},
                    "drift": ["EVIL"], "errors": [7, "sysctl[x]"], "overrides": [{"id": "EVIL", "reason": "EVIL", "until": "EVIL"}],
                    "source": {"error": "EVIL"}, "run": {"id": "EVIL"}}],
                 "drift": [{"id": "EVIL", "boxes": 1, "hosts": ["EVIL"]}],
                 "errors": [],
                 "rollout": {"commits": [{"commit": "0123456789abcdef0123456789abcdef01234567", "subject": "EVIL", "boxes": 1}],
                             "older": 0, "elsewhere": 1}}
                """.replace("EVIL", EVIL.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u001b", "\\u001b")));
        return f;
    }

    @Test
    void everyReportedStringIsEscaped() {
        String html = FleetPage.render(hostileFleet());
        // the page's own script element is the only one, and nothing a report holds became markup
        assertThat(count(html, "<script")).isEqualTo(1);
        assertThat(count(html, "</script>")).isEqualTo(1);
        assertThat(html).doesNotContain("<img").doesNotContain("\u001b");
        assertThat(html).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;\\e[2J");
        // a label value cannot close its attribute
        assertThat(html).contains("data-labels=\"team=&lt;/script&gt;");
        assertThat(html).contains("<td class=\"n drift\">1</td>").contains("not on branch").contains("(stale)");
    }

    @Test
    void thePageAllowsOnlyItsOwnStyleAndScriptAndNoRequests() throws Exception {
        String html = FleetPage.render(hostileFleet());
        Matcher csp = Pattern.compile("content=\"default-src 'none'; style-src '(sha256-[^']+)'; script-src '(sha256-[^']+)'\"").matcher(html);
        assertThat(csp.find()).isTrue();
        assertThat(csp.group(1)).isEqualTo(hash(between(html, "<style>", "</style>")));
        assertThat(csp.group(2)).isEqualTo(hash(between(html, "<script>", "</script>")));
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("src=\"");
    }

    private static String between(String s, String open, String close) {
        int a = s.indexOf(open) + open.length();
        return s.substring(a, s.indexOf(close, a));
    }

    private static String hash(String s) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }
}
