package io.devbox.agent.kinds.packages;

import io.devbox.agent.kinds.testing.TestYaml;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the packages parser reads from a schema-valid section, and the rules only Java states. */
class PackageSpecParserTest {

    @Test
    void statesVersionsAndSettings() throws Exception {
        PackageSpecParser.Parsed p = PackageSpecParser.parse(TestYaml.parse("profiles/p.yaml", """
                apt: {git: present, jq: "1.6-2.1", curl: latest, nano: absent, vim: 2, libc6:i386: installed, ed: removed}
                updateCacheAfter: 24h
                lockTimeout: 90s
                prune: true
                """));
        assertThat(p.resources()).extracting(PackageResource::id)
                .containsExactly("package[git]", "package[jq]", "package[curl]", "package[nano]", "package[vim]", "package[libc6:i386]", "package[ed]");
        assertThat(p.resources().get(0).wanted()).isEqualTo(new PackageResource.Present());
        assertThat(p.resources().get(1).wanted()).isEqualTo(new PackageResource.Version("1.6-2.1"));
        assertThat(p.resources().get(2).wanted()).isEqualTo(new PackageResource.Latest());
        assertThat(p.resources().get(3).wantsAbsent()).isTrue();
        assertThat(p.resources().get(3).origin().line()).isEqualTo(1);
        assertThat(p.resources().get(4).wanted()).isEqualTo(new PackageResource.Version("2"));
        assertThat(p.resources().get(6).wantsAbsent()).isTrue();
        assertThat(p.updateCacheAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(p.lockTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.prune()).isTrue();
    }

    @Test
    void defaults() throws Exception {
        PackageSpecParser.Parsed p = PackageSpecParser.parse(TestYaml.parse("profiles/p.yaml", "apt: {jq: present}\n"));
        assertThat(p.updateCacheAfter()).isNull();
        assertThat(p.lockTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.prune()).isFalse();
    }

    @Test
    void whatTheSchemaCannotSayIsALocatedError() {
        assertThatThrownBy(() -> PackageSpecParser.parse(TestYaml.parse("profiles/p.yaml", """
                apt: {jq: present, vim: -1}
                lockTimeout: 2h
                """))).isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(ProfileError::render)
                .containsExactly("profiles/p.yaml:1:25: packages.apt.vim: '-1' is not a Debian version (like 1.6-2.1)",
                        "profiles/p.yaml:2:14: packages.lockTimeout is at most 30m (a run holds the box lock while it waits)"));
    }
}
