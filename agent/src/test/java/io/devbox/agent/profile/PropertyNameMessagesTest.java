package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Which keyword of a propertyNames schema a name fails, so that each of several patterns can have its own message. */
class PropertyNameMessagesTest {
    private static JsonNode schema(String json) {
        return JsonMapper.builder().build().readTree(json);
    }

    @Test
    void theFirstFailingPatternUnderAllOfIsNamed() {
        JsonNode names = schema("{\"maxLength\": 20, \"allOf\": [{\"type\": \"string\", \"pattern\": \"^/\"},"
                + " {\"type\": \"string\", \"pattern\": \"^(?!.*(^|/)\\\\.\\\\.(/|$))\"}, {\"pattern\": \"[^/]$\"}]}");
        assertThat(SchemaValidator.nameKeyword(names, "etc/x")).isEqualTo("allOf/0/pattern");
        assertThat(SchemaValidator.nameKeyword(names, "/etc/../x")).isEqualTo("allOf/1/pattern");
        assertThat(SchemaValidator.nameKeyword(names, "/etc/")).isEqualTo("allOf/2/pattern");
        assertThat(SchemaValidator.nameKeyword(names, "/etc/" + "x".repeat(30))).isEqualTo("maxLength");
    }

    @Test
    void aSinglePatternIsNamedAsBefore() {
        assertThat(SchemaValidator.nameKeyword(schema("{\"pattern\": \"^[a-z]+$\"}"), "A")).isEqualTo("pattern");
        // a name failing an enum (or not, const) gets that keyword's message, e.g. GOENV in go.env
        assertThat(SchemaValidator.nameKeyword(schema("{\"enum\": [\"a\"]}"), "b")).isEqualTo("enum");
        assertThat(SchemaValidator.nameKeyword(schema("{\"minLength\": 2}"), "abc")).isEmpty();
    }
}
