package io.devbox.agent.host;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming codec must read and write exactly as Jackson's ObjectMapper does, which it replaces for speed. */
class JsonTest {
    private static final JsonMapper MAPPER = JsonMapper.shared();

    private static final List<String> DOCUMENTS = List.of(
            "{}", "[]", "null", "true", "0", "-17", "\"text\"",
            "{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{\"e\":\"f\",\"g\":[]},\"h\":{}}",
            "{\"int\":2147483647,\"long\":9223372036854775807,\"big\":123456789012345678901234567890,\"neg\":-2147483649}",
            "{\"double\":1.5,\"exp\":1e300,\"small\":-2.5E-7,\"zero\":0.0}",
            "{\"unicode\":\"h\\u00e9llo \\u2603 \\ud83d\\ude00\",\"ctl\":\"tab\\tnl\\nquote\\\"back\\\\\",\"slash\":\"a/b\"}",
            "{\"dup\":1,\"dup\":2}",
            "[[[[]]],[{}],\"x\",1,false]");

    @Test
    void readsTheSameTreesAsTheMapper() {
        for (String doc : DOCUMENTS) {
            JsonNode mine = Json.read(doc.getBytes(StandardCharsets.UTF_8));
            JsonNode theirs = MAPPER.readTree(doc);
            assertThat(mine).as(doc).isEqualTo(theirs);
            assertThat(mine.getNodeType()).as(doc).isEqualTo(theirs.getNodeType());
        }
        assertThat(Json.read("{\"big\":123456789012345678901234567890}").get("big").bigIntegerValue())
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void writesTheSameBytesAsTheMappersPrettyPrinter() {
        for (String doc : DOCUMENTS) {
            JsonNode tree = MAPPER.readTree(doc);
            assertThat(new String(Json.pretty(tree), StandardCharsets.UTF_8)).as(doc)
                    .isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        }
        ObjectNode built = Json.object().put("s", "v").put("n", 3).put("l", 1L << 40).put("d", 0.25).put("b", true);
        built.putArray("a").add("x").add(2);
        built.putNull("z");
        assertThat(Json.prettyString(built)).isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(built));
        assertThat(Json.read(Json.pretty(built))).isEqualTo(built);
    }

    @Test
    void badInputIsAJacksonErrorNotACrash() {
        for (String bad : List.of("{", "{\"a\":}", "[1,]", "{\"a\":1}}", "{\"a\":1} x", "\u0000", "{'a':1}", "tru")) {
            assertThatThrownBy(() -> Json.read(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(JacksonException.class);
        }
        assertThat(Json.read(" \n ".getBytes(StandardCharsets.UTF_8)).isMissingNode()).isTrue();
        assertThat(Json.read(new byte[0]).isMissingNode()).isTrue();
    }
}
