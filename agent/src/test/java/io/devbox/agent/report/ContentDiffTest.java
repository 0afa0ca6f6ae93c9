package io.devbox.agent.report;

import io.devbox.agent.engine.Change;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContentDiffTest {
    @Test
    void hunksWithThreeLinesOfContextLikeGitDiff() {
        String before = "[Unit]\nDescription=A\n[Service]\nExecStart=/bin/true\nRestart=no\nUser=a\nGroup=a\nNice=0\n";
        String after = "[Unit]\nDescription=A\n[Service]\nExecStart=/bin/false\nRestart=no\nUser=a\nGroup=a\nNice=0\n";
        assertThat(ContentDiff.lines(new Change.Content(before, after), 40)).containsExactly(
                "@@ -1,7 +1,7 @@", " [Unit]", " Description=A", " [Service]", "-ExecStart=/bin/true", "+ExecStart=/bin/false",
                " Restart=no", " User=a", " Group=a");
    }

    @Test
    void newAndRemovedFilesAndFarApartEdits() {
        assertThat(ContentDiff.lines(new Change.Content(null, "a\nb\n"), 40)).containsExactly("@@ -0,0 +1,2 @@", "+a", "+b");
        assertThat(ContentDiff.lines(new Change.Content("a\n", null), 40)).containsExactly("@@ -1 +0,0 @@", "-a");
        String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        String after = "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n";
        List<String> d = ContentDiff.lines(new Change.Content(before, after), 40);
        assertThat(d).filteredOn(l -> l.startsWith("@@")).containsExactly("@@ -1,4 +1,4 @@", "@@ -9,4 +9,4 @@");
    }

    @Test
    void secretsAreMaskedAndLongDiffsCutWithACount() {
        List<String> d = ContentDiff.lines(new Change.Content("x\n", "Environment=URL=https://bob:s3cret@example.com/\n"), 40);
        assertThat(String.join("\n", d)).doesNotContain("s3cret").contains("https://bob:***@example.com/");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 100; i++) big.append("line ").append(i).append('\n');
        List<String> cut = ContentDiff.lines(new Change.Content(null, big.toString()), 10);
        assertThat(cut).hasSize(11).endsWith("... 91 more lines of diff");
        assertThat(ContentDiff.lines(new Change.Content("a", "a\n"), 10)).containsExactly("(only the line ends or the final newline differ)");
    }
}
