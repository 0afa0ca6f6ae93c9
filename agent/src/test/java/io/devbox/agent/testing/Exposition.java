package io.devbox.agent.testing;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format for tests: every line must be a HELP, a TYPE (once per family, before
 * its samples) or a sample with valid name, labels and value; it returns the samples by their series text.
 */
public final class Exposition {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL + ")(?:," + LABEL + ")*\\})? "
            + "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");

    private Exposition() {
    }

    public static Map<String, Double> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("exposition must end with a line feed");
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isEmpty()) throw new AssertionError("line " + n + " is empty");
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (!helped.add(m.group(1))) throw new AssertionError("line " + n + ": second HELP for " + m.group(1));
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) throw new AssertionError("line " + n + ": second TYPE for " + m.group(1));
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String family = types.containsKey(name) ? name : name.replaceAll("_(sum|count|bucket)$", "");
                if (!types.containsKey(family)) throw new AssertionError("line " + n + ": sample before its TYPE: " + line);
                String series = name + (m.group(2) == null ? "" : m.group(2));
                if (samples.put(series, Double.parseDouble(m.group(3).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"))) != null) {
                    throw new AssertionError("line " + n + ": duplicate series " + series);
                }
            } else {
                throw new AssertionError("line " + n + " is not valid exposition format: " + line);
            }
        }
        return samples;
    }
}
