package io.devbox.agent.fleet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BoxReportTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void summarizesARunRecordWithoutValues() {
        JsonNode run = JSON.readTree("""
                {"id": "r1", "command": "apply", "startedAt": "2026-01-01T00:00:00Z", "durationMs": 12,
                 "source": {"repo": "https://bob:tok@h/f.git", "ref": null, "commit": "abc", "signature": "alice", "error": null},
                 "resources": [
                   {"id": "sysctl[a]", "status": "drift", "changes": [{"from": "secret-1", "to": "secret-2"}]},
                   {"id": "sysctl[b]", "status": "ok"},
                   {"id": "sysctl[c]", "status": "override", "reason": "debugging until 5pm"},
                   {"id": "sysctl[d]", "status": "error", "reason": "read-only"}],
                 "summary": {"ok": 1, "change": 1, "drift": 1, "override": 1, "skipped": 0, "error": 1}}
                """);
        JsonNode r = BoxReport.fromRunRecord("dev-1", Map.of("team", "backend", "site", "berlin"), List.of(), run,
                Instant.parse("2026-01-01T00:05:00Z"), "test");
        assertThat(r.path("hostname").asString()).isEqualTo("dev-1");
        assertThat(r.path("source").path("repo").asString()).isEqualTo("https://***@h/f.git");
        assertThat(r.path("source").path("commit").asString()).isEqualTo("abc");
        assertThat(r.path("summary").path("drift").asInt()).isEqualTo(1);
        assertThat(r.path("drift").get(0).asString()).isEqualTo("sysctl[a]");
        assertThat(r.path("errors").get(0).asString()).isEqualTo("sysctl[d]");
        assertThat(r.path("overrides").get(0).path("id").asString()).isEqualTo("sysctl[c]");
        assertThat(r.path("labels").toString()).isEqualTo("{\"site\":\"berlin\",\"team\":\"backend\"}");
        assertThat(r.toString()).doesNotContain("secret-").doesNotContain("tok");
    }

    @Test
    void takesOverridesFromTheRunRecordWhenItListsThem() {
        JsonNode run = JSON.readTree("""
                {"id": "r1", "resources": [{"id": "sysctl[c]", "status": "override"}],
                 "overrides": [{"resource": "sysctl[c]", "reason": "r", "expiresAt": "2026-01-02T00:00:00Z"}]}
                """);
        JsonNode r = BoxReport.fromRunRecord("dev-1", Map.of(), List.of(), run, Instant.EPOCH, "test");
        assertThat(r.path("overrides").size()).isEqualTo(1);
        assertThat(r.path("overrides").get(0).path("until").asString()).isEqualTo("2026-01-02T00:00:00Z");
    }
}
