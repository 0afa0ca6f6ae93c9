package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class YamlReaderTest {
    private final List<ProfileError> errors = new ArrayList<>();

    private Node.Mapping read(String text) {
        Optional<YamlReader.Parsed> p = YamlReader.read("p.yaml", text.getBytes(StandardCharsets.UTF_8), errors);
        assertThat(errors).isEmpty();
        return (Node.Mapping) p.orElseThrow().root();
    }

    private List<String> fail(byte[] bytes) {
        Optional<YamlReader.Parsed> p = YamlReader.read("p.yaml", bytes, errors);
        assertThat(p).isEmpty();
        assertThat(errors).isNotEmpty();
        return errors.stream().map(ProfileError::render).toList();
    }

    private List<String> fail(String text) {
        return fail(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysAndValuesKeepOneBasedPositions() {
        Node.Mapping root = read("# comment\na: 1\nspec:\n  sysctl:\n    vm.swappiness: 10\n    k: \"quoted\"\n");
        assertThat(root.keyOrigin("a")).isEqualTo(new Origin("p.yaml", 2, 1));
        assertThat(root.get("a").origin()).isEqualTo(new Origin("p.yaml", 2, 4));
        Node.Mapping sysctl = (Node.Mapping) ((Node.Mapping) root.get("spec")).get("sysctl");
        assertThat(sysctl.keyOrigin("vm.swappiness")).isEqualTo(new Origin("p.yaml", 5, 5));
        assertThat(sysctl.get("vm.swappiness")).isEqualTo(new Node.Scalar("10", new Origin("p.yaml", 5, 20)));
        assertThat(sysctl.get("k")).isEqualTo(new Node.Scalar("quoted", new Origin("p.yaml", 6, 8)));
        assertThat(List.copyOf(sysctl.entries().keySet())).containsExactly("vm.swappiness", "k");
    }

    @Test
    void flowStylePositions() {
        Node.Mapping root = read("labels: {team: backend, os: linux}\nhosts: [a, \"b\"]\n");
        Node.Mapping labels = (Node.Mapping) root.get("labels");
        assertThat(labels.keyOrigin("os")).isEqualTo(new Origin("p.yaml", 1, 25));
        assertThat(labels.get("os").origin()).isEqualTo(new Origin("p.yaml", 1, 29));
        Node.Sequence hosts = (Node.Sequence) root.get("hosts");
        assertThat(hosts.origin()).isEqualTo(new Origin("p.yaml", 2, 8));
        assertThat(hosts.items()).extracting(Node::origin)
                .containsExactly(new Origin("p.yaml", 2, 9), new Origin("p.yaml", 2, 12));
    }

    @Test
    void nullsIntegersAndAliasesWithinTheLimit() {
        Node.Mapping root = read("a:\nb: ~\nc: 0x10\nd: 0o17\ne: '0x10'\nf: &x {k: v}\ng: *x\n");
        assertThat(((Node.Scalar) root.get("a")).isNull()).isTrue();
        assertThat(((Node.Scalar) root.get("b")).isNull()).isTrue();
        assertThat(((Node.Scalar) root.get("c")).text()).isEqualTo("16");
        assertThat(((Node.Scalar) root.get("d")).text()).isEqualTo("15");
        assertThat(((Node.Scalar) root.get("e")).text()).isEqualTo("0x10");
        assertThat(((Node.Mapping) root.get("g")).get("k")).isEqualTo(((Node.Mapping) root.get("f")).get("k"));
    }

    @Test
    void duplicateKeysAreReportedAtTheSecondKeyNamingTheFirstLine() {
        assertThat(fail("a: 1\nspec:\n  x: 1\n  y: 2\n  x: 3\n"))
                .containsExactly("p.yaml:5:3: duplicate key 'x' (first defined at line 3)");
    }

    @Test
    void duplicateKeysInFlowStyle() {
        assertThat(fail("labels: {team: a, team: b}\n"))
                .containsExactly("p.yaml:1:19: duplicate key 'team' (first defined at line 1)");
    }

    @Test
    void syntaxErrorsAreLocated() {
        assertThat(fail("a: 1\nb: [1, 2\nc: 3\n")).singleElement().asString()
                .startsWith("p.yaml:3:").contains("YAML syntax error");
        errors.clear();
        assertThat(fail("a:\n  b: 1\n c: 2\n")).singleElement().asString().startsWith("p.yaml:3:").contains("YAML syntax error");
    }

    @Test
    void tabsInIndentationAreLocated() {
        assertThat(fail("a:\n\tb: 1\n")).containsExactly("p.yaml:2:1: YAML syntax error: tab character; YAML indentation must use spaces");
    }

    @Test
    void bomIsALocatedError() {
        byte[] text = "a: 1\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertThat(fail(withBom)).containsExactly("p.yaml:1:1: file starts with a byte order mark (BOM); save it as UTF-8 without BOM");
    }

    @Test
    void invalidUtf8IsLocatedAtTheBadByte() {
        byte[] bytes = "a: 1\nb: x\u00e9y\n".getBytes(StandardCharsets.UTF_8);
        bytes[9] = (byte) 0xFF; // first byte of é
        assertThat(fail(bytes)).containsExactly("p.yaml:2:5: invalid UTF-8 (byte 0xFF at offset 9); save the file as UTF-8");
    }

    @Test
    void controlCharactersAreLocated() {
        assertThat(fail("a: 1\nb: x\u0000y\n")).containsExactly("p.yaml:2:5: control character U+0000 is not allowed in YAML");
    }

    @Test
    void tooLargeFilesAreRefused() {
        byte[] big = new byte[YamlReader.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) '#');
        assertThat(fail(big)).singleElement().asString().startsWith("p.yaml:1:1: file is 1048577 bytes");
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        String deep = "a: " + "[".repeat(100_000);
        assertThat(fail(deep)).containsExactly("p.yaml:1:" + (4 + YamlReader.MAX_DEPTH - 1) + ": nesting deeper than 64 levels");
    }

    @Test
    void billionLaughsIsRefusedByTheAliasLimit() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            y.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }
        assertThat(fail(y.toString())).singleElement().asString().contains("more than 20 aliases");
    }

    @Test
    void recursiveAliasesAreRefused() {
        assertThat(fail("a: &a [1, *a]\n")).singleElement().asString().startsWith("p.yaml:1:");
    }

    @Test
    void mergeKeysAndCustomTagsAreRefused() {
        assertThat(fail("a: &a {x: 1}\nb:\n  <<: *a\n")).containsExactly("p.yaml:3:3: merge keys (<<) are not supported; write the values out");
        errors.clear();
        assertThat(fail("a: !secret x\n")).singleElement().asString().startsWith("p.yaml:1:4: unsupported YAML tag");
    }

    @Test
    void emptyFilesAndSeveralDocumentsAreErrors() {
        assertThat(fail("# only a comment\n")).containsExactly("p.yaml:1:1: empty file: a profile needs apiVersion, kind, metadata and spec");
        errors.clear();
        assertThat(fail("a: 1\n---\nb: 2\n")).singleElement().asString().startsWith("p.yaml:").contains("single document");
    }

    @Test
    void complexKeysAreRefused() {
        assertThat(fail("? [a, b]\n: 1\n")).containsExactly("p.yaml:1:3: mapping keys must be plain strings, not a list");
    }
}
