package io.devbox.agent.fleet;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReportNamesTest {
    @Test
    void aHostsShardIsTheFirstByteOfTheSha256OfItsName() {
        // printf dev-42 | sha256sum: 71...
        assertThat(ReportNames.shard("dev-42")).isEqualTo("71");
        assertThat(ReportNames.shardRef("dev-42")).isEqualTo("refs/devbox/reports/" + ReportNames.shard("dev-42"));
        Set<String> shards = new HashSet<>();
        for (int i = 0; i < 10_000; i++) shards.add(ReportNames.shard("dev-" + i));
        assertThat(shards).hasSize(256).allMatch(ReportNames::isShardName);
    }

    @Test
    void shardNamesAreTwoLowerCaseHexDigits() {
        assertThat(ReportNames.isShardName("0a")).isTrue();
        assertThat(ReportNames.isShardName("0A")).isFalse();
        assertThat(ReportNames.isShardName("dev-1")).isFalse();
        assertThat(ReportNames.isShardName("g0")).isFalse();
    }

    @Test
    void fileNamesKeepHostnamesReadableAndRoundTrip() {
        assertThat(ReportNames.fileName("dev-42")).isEqualTo("dev-42.json");
        assertThat(ReportNames.fileName("a/b%c")).isEqualTo("a%2Fb%25c.json");
        for (String h : new String[]{"dev-42", "a/b%c", "<script>alert(1)</script>", "%2F", "x.json", "ünïcode"}) {
            assertThat(ReportNames.hostnameOf(ReportNames.fileName(h))).contains(h);
        }
        assertThat(ReportNames.hostnameOf("README.md")).isEmpty();
        assertThat(ReportNames.hostnameOf(".json")).isEmpty();
        assertThat(ReportNames.hostnameOf("a%zz.json")).isEmpty();
        assertThat(ReportNames.hostnameOf("a%0A.json")).isEmpty();
    }

    @Test
    void aHostnameMustBeAUsableName() {
        assertThat(ReportNames.problem("dev-42")).isEmpty();
        assertThat(ReportNames.problem("")).contains("the hostname is empty");
        assertThat(ReportNames.problem("a\nb")).contains("the hostname holds a control character");
        assertThat(ReportNames.problem("a\u009bb")).contains("the hostname holds a control character");
        assertThat(ReportNames.problem("x".repeat(254))).isPresent();
        assertThat(ReportNames.problem(null)).isEqualTo(Optional.of("the hostname is empty"));
    }
}
