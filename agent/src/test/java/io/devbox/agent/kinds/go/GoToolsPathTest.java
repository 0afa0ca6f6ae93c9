package io.devbox.agent.kinds.go;

import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The go kind's default carries where go.tools live, for its profile.d script (the go.tools kind builds them). */
class GoToolsPathTest {
    private static GoLayout.ToolsPath tools(String yaml) throws Exception {
        for (GoResource r : GoSpecParser.parse(TestNodes.yaml("profiles/go.yaml", "versions: [\"1.22.5\"]\n" + yaml), "/home/dev").resources()) {
            if (r instanceof GoResource.Default d) return d.tools();
        }
        throw new AssertionError("no default");
    }

    @Test
    void theScriptKnowsTheToolsDirectoryAndWhetherItIsTheDevelopers() throws Exception {
        assertThat(tools("")).isNull();
        assertThat(tools("tools: {gofumpt: mvdan.cc/gofumpt@v0.6.0}\n")).isEqualTo(new GoLayout.ToolsPath("/usr/local/go-tools/bin", false));
        assertThat(tools("tools: {gofumpt: mvdan.cc/gofumpt@v0.6.0}\ntoolsDir: /opt/tools/\n")).isEqualTo(new GoLayout.ToolsPath("/opt/tools/bin", false));
        assertThat(tools("tools: {gofumpt: mvdan.cc/gofumpt@v0.6.0}\ntoolsDir: /home/dev/go-tools\n"))
                .isEqualTo(new GoLayout.ToolsPath("/home/dev/go-tools/bin", true));
        // a directory the go.tools kind refuses (shell characters, as a ${home} could bring them) is on no PATH
        assertThat(tools("tools: {gofumpt: mvdan.cc/gofumpt@v0.6.0}\ntoolsDir: \"/home/dev/$(id)\"\n")).isNull();
    }
}
