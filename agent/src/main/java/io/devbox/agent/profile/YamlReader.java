package io.devbox.agent.profile;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one YAML file into a {@link Node} tree with 1-based positions, through snakeyaml-engine's composer (YAML 1.2
 * core schema). Adds what the composer lacks: duplicate keys, a nesting limit, an alias limit, a node budget, strict
 * UTF-8. Every problem becomes a located {@link ProfileError}; nothing here throws on bad input.
 */
final class YamlReader {
    static final int MAX_BYTES = ProfileFile.MAX_BYTES;
    static final int MAX_DEPTH = 64;
    static final int MAX_ALIASES = 20;
    static final int MAX_NODES = 100_000;
    /** Longest mapping key: names of sysctls, units, cgroups and the like are far shorter. */
    static final int MAX_KEY_CHARS = 4096;
    /** Digits of the largest integer a float may stand for (a 64-bit value has 19; the kernel takes at most 20). */
    static final int MAX_INTEGER_DIGITS = 40;

    /** How a scalar was typed by the YAML core schema, and the column of its first text character (0: unknown). */
    record ScalarInfo(Type type, int textColumn) {
        enum Type { STR, INT, FLOAT, BOOL, NULL }
    }

    /** A file read without errors: its root node and the YAML type of each scalar (by identity). */
    record Parsed(String file, Node root, Map<Node.Scalar, ScalarInfo> scalars, int nodes) {
    }

    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setSchema(new CoreSchema())
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setCodePointLimit(MAX_BYTES + 1)
            .setUseMarks(true)
            .setAllowNonScalarKeys(true) // so that we can say where the complex key is
            .build();

    private YamlReader() {
    }

    /** The error for a profile file of {@code size} bytes, over {@link #MAX_BYTES}. */
    static ProfileError tooLarge(String file, long size) {
        return new ProfileError(new Origin(file, 1, 1), "file is " + size + " bytes; profiles may be at most " + MAX_BYTES + " bytes (1 MiB)");
    }

    /** The parsed file, or empty after adding its errors to {@code errors}. */
    static Optional<Parsed> read(String file, byte[] bytes, List<ProfileError> errors) {
        if (bytes.length > MAX_BYTES) {
            errors.add(tooLarge(file, bytes.length));
            return Optional.empty();
        }
        Optional<String> text = decode(file, bytes, errors);
        if (text.isEmpty()) return Optional.empty();
        org.snakeyaml.engine.v2.nodes.Node yaml;
        try {
            Parser parser = new LimitingParser(new ParserImpl(SETTINGS, new StreamReader(SETTINGS, text.get())));
            Optional<org.snakeyaml.engine.v2.nodes.Node> single = new Composer(SETTINGS, parser).getSingleNode();
            if (single.isEmpty()) {
                errors.add(new ProfileError(new Origin(file, 1, 1),
                        "empty file: a profile needs apiVersion, kind, metadata and spec"));
                return Optional.empty();
            }
            yaml = single.get();
        } catch (LimitExceeded e) {
            errors.add(new ProfileError(origin(file, e.mark), e.getMessage()));
            return Optional.empty();
        } catch (MarkedYamlEngineException e) {
            errors.add(syntaxError(file, e));
            return Optional.empty();
        } catch (YamlEngineException e) {
            errors.add(new ProfileError(new Origin(file, 1, 1), "YAML error: " + e.getMessage()));
            return Optional.empty();
        } catch (StackOverflowError e) {
            // the limiting parser bounds nesting; this guards the composer against anything it missed
            errors.add(new ProfileError(new Origin(file, 1, 1), "YAML nesting too deep"));
            return Optional.empty();
        }
        Converter c = new Converter(file, errors);
        int before = errors.size();
        Node root = c.convert(yaml, 0);
        if (errors.size() > before) return Optional.empty();
        return Optional.of(new Parsed(file, root, c.scalars, c.nodes));
    }

    private static Optional<String> decode(String file, byte[] bytes, List<ProfileError> errors) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            errors.add(new ProfileError(new Origin(file, 1, 1),
                    "file starts with a byte order mark (BOM); save it as UTF-8 without BOM"));
            return Optional.empty();
        }
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF
                || (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE)) {
            errors.add(new ProfileError(new Origin(file, 1, 1), "file is UTF-16 encoded; save it as UTF-8"));
            return Optional.empty();
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) r = dec.flush(out);
        if (r.isError()) {
            int bad = in.position();
            out.flip();
            int line = 1, col = 1;
            for (int i = 0; i < out.length(); i++) {
                char ch = out.charAt(i);
                if (ch == '\n') {
                    line++;
                    col = 1;
                } else if (!Character.isLowSurrogate(ch)) {
                    col++;
                }
            }
            errors.add(new ProfileError(new Origin(file, line, col),
                    String.format("invalid UTF-8 (byte 0x%02X at offset %d); save the file as UTF-8", bytes[bad] & 0xff, bad)));
            return Optional.empty();
        }
        out.flip();
        String text = out.toString();
        int line = 1, col = 1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!StreamReader.isPrintable(cp)) {
                errors.add(new ProfileError(new Origin(file, line, col),
                        String.format("control character U+%04X is not allowed in YAML", cp)));
                return Optional.empty();
            }
            if (cp == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            i += Character.charCount(cp);
        }
        return Optional.of(text);
    }

    private static ProfileError syntaxError(String file, MarkedYamlEngineException e) {
        Optional<Mark> problem = e.getProblemMark();
        Optional<Mark> context = e.getContextMark();
        Mark at = problem.or(() -> context).orElse(null);
        StringBuilder msg = new StringBuilder("YAML syntax error: ");
        String p = e.getProblem() == null ? "" : e.getProblem().strip();
        if (p.contains("(TAB)")) {
            return new ProfileError(at == null ? new Origin(file, 1, 1) : origin(file, at),
                    "YAML syntax error: tab character; YAML indentation must use spaces");
        }
        msg.append(p.isEmpty() ? "invalid YAML" : p);
        if (p.contains("<block end>")) msg.append("; check the indentation");
        if (p.startsWith("mapping values are not allowed")) msg.append(" (quote a value that contains ': ', or check the indentation)");
        if (e.getContext() != null && !e.getContext().isBlank()) {
            msg.append(" (").append(e.getContext().strip());
            if (context.isPresent() && problem.isPresent() && context.get().getLine() != problem.get().getLine()) {
                msg.append(" started at line ").append(context.get().getLine() + 1);
            }
            msg.append(')');
        }
        return new ProfileError(at == null ? new Origin(file, 1, 1) : origin(file, at), msg.toString());
    }

    static Origin origin(String file, Mark m) {
        return m == null ? new Origin(file, 1, 1) : new Origin(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private static Origin origin(String file, org.snakeyaml.engine.v2.nodes.Node n) {
        return origin(file, n.getStartMark().orElse(null));
    }

    /** Thrown by the limiting parser; carries the position of the offending event. */
    private static final class LimitExceeded extends RuntimeException {
        final Mark mark;

        LimitExceeded(Mark mark, String message) {
            super(message, null, false, false);
            this.mark = mark;
        }
    }

    /** Bounds nesting depth and the number of aliases before the composer builds (and recurses into) anything. */
    private static final class LimitingParser implements Parser {
        private final Parser delegate;
        private int depth;
        private int aliases;
        private int nodes;

        LimitingParser(Parser delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return delegate.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return delegate.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public Event next() {
            Event e = delegate.next();
            switch (e.getEventId()) {
                case MappingStart, SequenceStart -> {
                    countNode(e);
                    if (++depth > MAX_DEPTH) {
                        throw new LimitExceeded(e.getStartMark().orElse(null),
                                "nesting deeper than " + MAX_DEPTH + " levels");
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                case Scalar -> {
                    countNode(e);
                    // the composer flattens merge keys away, so they are caught here, where their position is known
                    ScalarEvent s = (ScalarEvent) e;
                    if (s.isPlain() && s.getValue().equals("<<") && s.getTag().isEmpty()) {
                        throw new LimitExceeded(e.getStartMark().orElse(null),
                                "merge keys (<<) are not supported; write the values out");
                    }
                }
                case Alias -> {
                    if (++aliases > MAX_ALIASES) {
                        throw new LimitExceeded(e.getStartMark().orElse(null),
                                "more than " + MAX_ALIASES + " aliases (*name) in one file");
                    }
                }
                default -> {
                }
            }
            return e;
        }

        private void countNode(Event e) {
            if (++nodes > MAX_NODES) {
                throw new LimitExceeded(e.getStartMark().orElse(null),
                        "more than " + MAX_NODES + " values (YAML nodes) in one file");
            }
        }
    }

    /** snakeyaml node tree to ours, checking keys and limits; errors are collected, the result is then discarded. */
    static final class Converter {
        private final String file;
        private final List<ProfileError> errors;
        final Map<Node.Scalar, ScalarInfo> scalars = new IdentityHashMap<>();
        int nodes;
        private boolean overBudget;

        Converter(String file, List<ProfileError> errors) {
            this.file = file;
            this.errors = errors;
        }

        Node convert(org.snakeyaml.engine.v2.nodes.Node n, int depth) {
            Origin at = origin(file, n);
            if (++nodes > MAX_NODES || depth > 2 * MAX_DEPTH) {
                // aliases can multiply a small file into a huge or endless (recursive) tree
                if (!overBudget) {
                    overBudget = true;
                    errors.add(new ProfileError(at, depth > 2 * MAX_DEPTH
                            ? "aliases nest too deep (a recursive alias?)"
                            : "aliases expand to more than " + MAX_NODES + " values"));
                }
                return new Node.Scalar(null, at);
            }
            if (n instanceof ScalarNode s) return scalar(s, at);
            if (n instanceof SequenceNode seq) {
                checkTag(n, Tag.SEQ, at);
                List<Node> items = new ArrayList<>(seq.getValue().size());
                for (org.snakeyaml.engine.v2.nodes.Node item : seq.getValue()) items.add(convert(item, depth + 1));
                return new Node.Sequence(items, at);
            }
            MappingNode map = (MappingNode) n;
            checkTag(n, Tag.MAP, at);
            Map<String, Node> entries = new LinkedHashMap<>();
            Map<String, Origin> keyOrigins = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                org.snakeyaml.engine.v2.nodes.Node k = t.getKeyNode();
                Origin keyAt = origin(file, k);
                if (!(k instanceof ScalarNode ks)) {
                    errors.add(new ProfileError(keyAt, "mapping keys must be plain strings, not a "
                            + (k instanceof MappingNode ? "mapping" : "list")));
                    continue;
                }
                if (ks.getTag().equals(Tag.MERGE)) {
                    errors.add(new ProfileError(keyAt, "merge keys (<<) are not supported; write the values out"));
                    continue;
                }
                String key = ks.getTag().equals(Tag.NULL) ? "" : ks.getValue();
                if (key.length() > MAX_KEY_CHARS) {
                    errors.add(new ProfileError(keyAt, "mapping key of " + key.length() + " characters; keys may be at most "
                            + MAX_KEY_CHARS + " characters"));
                    continue;
                }
                if (key.isEmpty() && ks.isPlain()) {
                    errors.add(new ProfileError(keyAt, "empty mapping key"));
                    continue;
                }
                Origin first = keyOrigins.get(key);
                if (first != null) {
                    errors.add(new ProfileError(keyAt, "duplicate key '" + key + "' (first defined at line " + first.line() + ")"));
                    continue;
                }
                keyOrigins.put(key, keyAt);
                entries.put(key, convert(t.getValueNode(), depth + 1));
            }
            return new Node.Mapping(entries, keyOrigins, at);
        }

        private void checkTag(org.snakeyaml.engine.v2.nodes.Node n, Tag expected, Origin at) {
            if (!n.getTag().equals(expected)) errors.add(new ProfileError(at, "unsupported YAML tag " + n.getTag()));
        }

        private Node scalar(ScalarNode s, Origin at) {
            Tag tag = s.getTag();
            ScalarInfo.Type type;
            String text = s.getValue();
            if (tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG)) {
                // the core schema of snakeyaml-engine tags a plain ${NAME} for environment substitution: ours is a string
                type = ScalarInfo.Type.STR;
            } else if (tag.equals(Tag.INT)) {
                type = ScalarInfo.Type.INT;
                text = canonicalInt(text);
                if (text == null) {
                    errors.add(new ProfileError(at, "not an integer: " + s.getValue()));
                    text = s.getValue();
                }
            } else if (tag.equals(Tag.FLOAT)) {
                // the profile model's one rule for numbers: a float without a fractional part is the integer it equals
                // (5.0, 1e3, -0.0); anything else stays a float, which no field accepts (a located schema error)
                Optional<String> integral = integralFloat(text);
                if (integral == null) {
                    errors.add(new ProfileError(at, "number " + text + " is too large"));
                    type = ScalarInfo.Type.FLOAT;
                } else if (integral.isPresent()) {
                    type = ScalarInfo.Type.INT;
                    text = integral.get();
                } else {
                    type = ScalarInfo.Type.FLOAT;
                }
            } else if (tag.equals(Tag.BOOL)) {
                type = ScalarInfo.Type.BOOL;
            } else if (tag.equals(Tag.NULL)) {
                type = ScalarInfo.Type.NULL;
                text = null;
            } else {
                errors.add(new ProfileError(at, "unsupported YAML tag " + tag));
                type = ScalarInfo.Type.STR;
            }
            Node.Scalar result = new Node.Scalar(text, at);
            scalars.put(result, new ScalarInfo(type, textColumn(s, at)));
            return result;
        }

        /** Column of the first character of the value's text, when the source shows it verbatim on one line. */
        private static int textColumn(ScalarNode s, Origin at) {
            Mark start = s.getStartMark().orElse(null);
            Mark end = s.getEndMark().orElse(null);
            if (start == null || end == null || start.getLine() != end.getLine()) return 0;
            int span = end.getIndex() - start.getIndex();
            int len = s.getValue().codePointCount(0, s.getValue().length());
            ScalarStyle style = s.getScalarStyle();
            if (style == ScalarStyle.PLAIN && span == len) return at.column();
            if ((style == ScalarStyle.DOUBLE_QUOTED || style == ScalarStyle.SINGLE_QUOTED) && span == len + 2) {
                return at.column() + 1;
            }
            return 0;
        }

        /**
         * A YAML 1.2 core float with no fractional part as an integer in decimal ({@code 5.0} is {@code 5}, {@code 1e3}
         * is {@code 1000}, {@code -0.0} is {@code 0}); empty for one with a fractional part, infinities and NaN; null
         * for an integer of more than {@value #MAX_INTEGER_DIGITS} digits (no field wants one, and {@code 1e999999999}
         * must not become a billion digits).
         */
        static Optional<String> integralFloat(String text) {
            String t = text.startsWith("+") ? text.substring(1) : text;
            if (t.toLowerCase(java.util.Locale.ROOT).matches("-?\\.(inf|nan)")) return Optional.empty();
            BigDecimal d;
            try {
                d = new BigDecimal(t);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (d.signum() == 0) return Optional.of("0");
            BigDecimal stripped = d.stripTrailingZeros();
            if (stripped.scale() > 0) return Optional.empty();
            if ((long) stripped.precision() - stripped.scale() > MAX_INTEGER_DIGITS) return null;
            return Optional.of(stripped.toBigIntegerExact().toString());
        }

        /** YAML 1.2 core integers (decimal, 0o octal, 0x hex) in decimal, so kinds see one spelling; null if not one. */
        static String canonicalInt(String text) {
            try {
                String t = text.startsWith("+") ? text.substring(1) : text;
                if (t.startsWith("0x")) return new BigInteger(t.substring(2), 16).toString();
                if (t.startsWith("0o")) return new BigInteger(t.substring(2), 8).toString();
                return new BigInteger(t).toString();
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
