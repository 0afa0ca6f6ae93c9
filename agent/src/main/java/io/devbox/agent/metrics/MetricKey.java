package io.devbox.agent.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * One time series: a metric name and its labels. Its canonical text ({@code name{a="x",b="y"}}, labels sorted,
 * values escaped as in the exposition format) is the name under which the series lives in the Dropwizard registry.
 */
public record MetricKey(String name, Map<String, String> labels) {
    public MetricKey {
        if (!isName(name, true)) throw new IllegalArgumentException("bad metric name " + name);
        for (String l : labels.keySet()) {
            if (!isName(l, false)) throw new IllegalArgumentException("bad label name " + l);
        }
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public static MetricKey of(String name, String... kv) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) labels.put(kv[i], kv[i + 1]);
        return new MetricKey(name, labels);
    }

    public String text() {
        if (labels.isEmpty()) return name;
        StringBuilder sb = new StringBuilder(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(e.getKey()).append("=\"").append(escapeLabel(e.getValue())).append('"');
        }
        return sb.append('}').toString();
    }

    /** Parses {@link #text()}; throws IllegalArgumentException on anything else. */
    public static MetricKey parse(String text) {
        int brace = text.indexOf('{');
        if (brace < 0) return new MetricKey(text, Map.of());
        if (!text.endsWith("}")) throw new IllegalArgumentException("bad series " + text);
        Map<String, String> labels = new TreeMap<>();
        int i = brace + 1;
        int end = text.length() - 1;
        while (i < end) {
            int eq = text.indexOf("=\"", i);
            if (eq < 0) throw new IllegalArgumentException("bad series " + text);
            String label = text.substring(i, eq);
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < end; j++) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    char n = text.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    break;
                } else {
                    v.append(c);
                }
            }
            if (j >= end) throw new IllegalArgumentException("bad series " + text);
            labels.put(label, v.toString());
            i = j + 1;
            if (i < end && text.charAt(i) == ',') i++;
        }
        return new MetricKey(text.substring(0, brace), labels);
    }

    /**
     * {@code [a-zA-Z_:][a-zA-Z0-9_:]*} for metric names, the same without colons for label names (checked by hand:
     * every run builds a few dozen keys, and String.matches compiles its pattern each time).
     */
    static boolean isName(String s, boolean colons) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colons && c == ':')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
