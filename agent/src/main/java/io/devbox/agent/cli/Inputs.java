package io.devbox.agent.cli;

import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.profile.Labels;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converters that check what a person types before anything runs, each refusing a bad value with why and, where a
 * near valid spelling exists, that spelling. picocli reports them as {@code Invalid value for option '--only' (KIND):
 * ...}, exit 1. (Classes, not lambdas: see {@link Specs}.)
 */
final class Inputs {
    private Inputs() {
    }

    /** {@code --only}: a kind's name or its spec key ({@code unit} or {@code systemd}). */
    static final class KindName implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.strip();
            KindRegistry kinds = Kinds.registry();
            if (kinds.find(name).isPresent()) return name;
            List<String> known = new ArrayList<>();
            kinds.names().forEach(n -> {
                known.add(n.kind());
                if (!n.specKey().equals(n.kind())) known.add(n.specKey());
            });
            throw new CommandLine.TypeConversionException("unknown kind '" + name + "'" + Spelling.suggestion(name, known)
                    + " (kinds: " + String.join(", ", kinds.names().stream().map(KindRegistry.Names::kind).toList())
                    + "; their spec keys work too)");
        }
    }

    /** {@code --label KEY=VALUE} in Kubernetes' label syntax. */
    static final class Label implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            int eq = value.indexOf('=');
            if (eq < 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' has no value: give the label as KEY=VALUE, e.g. --label "
                        + (Labels.keyProblem(value).isEmpty() ? value : "team") + "=backend (an empty value is --label "
                        + (Labels.keyProblem(value).isEmpty() ? value : "team") + "=)");
            }
            String key = value.substring(0, eq);
            String v = value.substring(eq + 1);
            Optional<String> problem = Labels.keyProblem(key);
            if (problem.isEmpty()) problem = Labels.valueProblem(v);
            if (problem.isPresent()) throw new CommandLine.TypeConversionException("'" + value + "': " + problem.get());
            return value;
        }
    }

    /** {@code --lock-wait SECONDS}: a whole number of seconds, 0 or more. */
    static final class Seconds implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 0) return n;
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number of seconds (0 or more, e.g. 5)");
        }
    }

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})");

    /**
     * {@code --metrics-address HOST:PORT}: an IPv4 or bracketed IPv6 address or a host name, and a port from 0 (any
     * free one) to 65535. Whether the host resolves, and is loopback, is checked when the daemon starts.
     */
    static final class Address implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            Matcher m = HOST_PORT.matcher(value.strip());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:9478, [::1]:9478 or localhost:9478)");
            }
            int port = Integer.parseInt(m.group(3));
            if (port > 65535) throw new CommandLine.TypeConversionException("'" + value + "': port " + port + " is above 65535");
            return value.strip();
        }
    }
}
