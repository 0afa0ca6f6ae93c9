package io.devbox.agent.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Prometheus text exposition format (version 0.0.4), hand-written: per family one HELP and one TYPE line, then
 * its series. Counters and gauges of the registry are named by {@link MetricKey#text()}; a summary family is the
 * pair of series {@code NAME_sum} and {@code NAME_count}.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** One metric family: its name, TYPE and HELP text. */
    public record Family(String name, String type, String help) {
    }

    private PrometheusText() {
    }

    public static String format(MetricRegistry registry, List<Family> families) {
        Map<String, Number> values = new TreeMap<>();
        for (Map.Entry<String, Counter> e : registry.getCounters().entrySet()) values.put(e.getKey(), e.getValue().getCount());
        for (Map.Entry<String, Gauge> e : registry.getGauges().entrySet()) {
            if (e.getValue().getValue() instanceof Number n) values.put(e.getKey(), n);
        }
        StringBuilder sb = new StringBuilder();
        for (Family f : families) {
            StringBuilder series = new StringBuilder();
            for (Map.Entry<String, Number> e : values.entrySet()) {
                String name = MetricKey.parse(e.getKey()).name();
                boolean member = name.equals(f.name())
                        || f.type().equals("summary") && (name.equals(f.name() + "_sum") || name.equals(f.name() + "_count"));
                if (member) series.append(e.getKey()).append(' ').append(number(e.getValue())).append('\n');
            }
            if (series.length() == 0) continue;
            sb.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            sb.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
            sb.append(series);
        }
        return sb.toString();
    }

    static String number(Number n) {
        if (n instanceof Long || n instanceof Integer) return n.toString();
        double d = n.doubleValue();
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** HELP text escapes backslash and line feed. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
