package io.devbox.agent.host;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * The agent's JSON files (state, run records, reports) as Jackson trees, read and written with jackson-core's streaming
 * parser and generator. Jackson's ObjectMapper would do the same, but building one costs ~100 ms of CPU (its default
 * date format alone loads the JDK's locale data), a fifth of a whole {@code agent plan}. The trees are databind's
 * ({@link ObjectNode} and friends, which need no mapper); the output is byte for byte what
 * {@code writerWithDefaultPrettyPrinter()} writes.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** One JSON document (a {@link MissingNode} when there is only whitespace); trailing content is an error. */
    public static JsonNode read(byte[] bytes) throws JacksonException {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) return MissingNode.getInstance();
            JsonNode root = value(p, first);
            JsonToken trailing = p.nextToken();
            if (trailing != null) throw new StreamReadException(p, "trailing content after the JSON document: " + trailing);
            return root;
        }
    }

    public static JsonNode read(String text) throws JacksonException {
        return read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws JacksonException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) a.add(value(p, n));
                return a;
            }
            case VALUE_STRING -> {
                return NODES.stringNode(p.getString());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new StreamReadException(p, "unexpected " + t);
        }
    }

    /** {@code node} pretty-printed as UTF-8 (two-space indentation, {@code "name" : value}). */
    public static byte[] pretty(JsonNode node) throws JacksonException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = FACTORY.createGenerator(PRETTY, out)) {
            write(g, node);
        }
        return out.toByteArray();
    }

    public static String prettyString(JsonNode node) throws JacksonException {
        return new String(pretty(node), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final ObjectWriteContext PRETTY = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private static void write(JsonGenerator g, JsonNode n) throws JacksonException {
        if (n.isObject()) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                g.writeName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode v : n.values()) write(g, v);
            g.writeEndArray();
        } else if (n.isString()) {
            g.writeString(n.stringValue());
        } else if (n.isIntegralNumber()) {
            if (n.isInt()) g.writeNumber(n.intValue());
            else if (n.isLong()) g.writeNumber(n.longValue());
            else g.writeNumber(n.bigIntegerValue());
        } else if (n.isNumber()) {
            if (n.isBigDecimal()) g.writeNumber(n.decimalValue());
            else if (n.isFloat()) g.writeNumber(n.floatValue());
            else g.writeNumber(n.doubleValue());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.booleanValue());
        } else if (n.isNull() || n.isMissingNode()) {
            g.writeNull();
        } else {
            throw new IllegalArgumentException("cannot write a " + n.getNodeType() + " node as JSON");
        }
    }
}
