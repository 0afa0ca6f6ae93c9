package io.devbox.agent.kinds.wsl;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema says which wsl.conf and .wslconfig keys a profile may set; {@link WslKeys} says how WSL compares their
 * values. The two name the same keys, so no key the schema lets through lacks a comparison (and no comparison is
 * kept for a key the schema refuses).
 */
class WslKeysTest {

    @Test
    void theTableNamesExactlyTheSchemasKeys() throws Exception {
        JsonNode schema;
        try (InputStream in = WslKeysTest.class.getResourceAsStream("/io/devbox/agent/kinds/wsl/schema.json")) {
            schema = JsonMapper.shared().readTree(in);
        }
        for (WslFile file : WslFile.values()) {
            JsonNode sections = schema.path("properties").path(file.profileKey()).path("properties");
            assertThat(sections.isObject()).as(file.profileKey()).isTrue();
            List<String> inSchema = new ArrayList<>();
            for (var section : sections.properties()) {
                for (var key : section.getValue().path("properties").properties()) inSchema.add(section.getKey() + "." + key.getKey());
            }
            List<String> inTable = new ArrayList<>();
            for (Map.Entry<String, Map<String, WslKeys.Type>> section : WslKeys.known(file).entrySet()) {
                for (String key : section.getValue().keySet()) inTable.add(section.getKey() + "." + key);
            }
            assertThat(inTable).as(file.profileKey()).isNotEmpty().containsExactlyInAnyOrderElementsOf(inSchema);
        }
    }

    @Test
    void valuesAreKeptInTheFormWslComparesThem() {
        assertThat(WslKeys.Type.BOOL.canonical("True")).isEqualTo("true");
        assertThat(WslKeys.Type.NETWORKING_MODE.canonical(" Mirrored")).isEqualTo("mirrored");
        assertThat(WslKeys.Type.SIZE.canonical(" 8GB ")).isEqualTo("8GB");
        assertThat(WslKeys.Type.SIZE.normalize("8GB")).isEqualTo(WslKeys.Type.SIZE.normalize("8gb"));
        assertThat(WslKeys.Type.PORT_LIST.normalize("80, 443")).isEqualTo("80,443");
        assertThat(WslKeys.Type.STRING.canonical(" Keep Me ")).isEqualTo(" Keep Me ");
    }
}
