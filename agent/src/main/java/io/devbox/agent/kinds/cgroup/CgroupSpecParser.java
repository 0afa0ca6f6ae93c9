package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.host.SafePaths;
import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the composed {@code cgroups:} section into resources. The schema (cgroup/schema.json) has checked the paths,
 * the settings and the form and range of every value; what is left is a size too large for the kernel's 64 bits.
 */
final class CgroupSpecParser {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.@:+-]+");
    /** What {@link #wholeNumber} answers for a size past 64 bits (no size is negative). */
    private static final long TOO_LARGE = Long.MIN_VALUE;

    private final List<ProfileError> errors = new ArrayList<>();

    List<CgroupResource> parse(Node section) throws ProfileException {
        List<CgroupResource> out = new ArrayList<>();
        if (section instanceof Node.Mapping m) {
            m.entries().forEach((path, node) -> out.add(resource(path, m.keyOrigin(path), node)));
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return out;
    }

    private CgroupResource resource(String path, Origin keyOrigin, Node node) {
        List<Wanted> limits = new ArrayList<>();
        List<String> dependsOn = new ArrayList<>();
        if (node instanceof Node.Mapping m) {
            for (var e : m.entries().entrySet()) {
                if (e.getKey().equals("dependsOn")) {
                    dependsOn.addAll(dependsOn(e.getValue()));
                } else if (e.getValue() instanceof Node.Mapping group) { // memory, cpu, io or pids
                    group.entries().forEach((key, v) -> {
                        if (v instanceof Node.Scalar scalar && !scalar.isNull()) value(Setting.of(e.getKey(), key), scalar).ifPresent(limits::add);
                    });
                }
            }
        }
        return new CgroupResource(path, keyOrigin, limits, dependsOn);
    }

    private Optional<Wanted> value(Setting s, Node.Scalar v) {
        String t = v.text().strip();
        long parsed = switch (s) {
            case MEMORY_MAX, MEMORY_HIGH, MEMORY_SWAP_MAX -> Conversions.parseSize(t).orElseGet(() -> wholeNumber(t));
            case CPU_MAX -> Conversions.parseCpuPercent(t).orElseThrow();
            case CPU_WEIGHT, IO_WEIGHT -> SpecReader.integer(t);
            case PIDS_MAX -> t.equals("max") ? Wanted.MAX : SpecReader.integer(t);
        };
        if (parsed == TOO_LARGE) {
            errors.add(new ProfileError(v.origin(), "invalid " + s.profileName() + " '" + t + "': larger than the kernel can hold (2^63 - 1 bytes)"));
            return Optional.empty();
        }
        return Optional.of(new Wanted(s, parsed, t, v.origin()));
    }

    /** A size written as a YAML number (1.5e9), or {@link #TOO_LARGE} for one past 64 bits. */
    private static long wholeNumber(String t) {
        try {
            return SpecReader.integer(t);
        } catch (ArithmeticException | NumberFormatException e) {
            return TOO_LARGE;
        }
    }

    /**
     * Why a cgroup path read from elsewhere than a profile (the agent's record of what it applied) is not one the
     * agent would manage; a profile's paths are the schema's to check.
     */
    static Optional<String> pathProblem(String path) {
        Optional<String> p = SafePaths.relativeProblem(path);
        if (p.isPresent()) return p;
        for (String seg : path.split("/")) {
            if (!SEGMENT.matcher(seg).matches()) return Optional.of("path has an invalid segment '" + seg + "' (allowed: letters, digits, _ . @ : + -)");
            if (seg.startsWith("cgroup.")) return Optional.of("path segment '" + seg + "' collides with the kernel's cgroup.* files");
        }
        return Optional.empty();
    }

    /** An explicit {@code dependsOn: [kind[name], ...]} list (its ids' form is the schema's). */
    static List<String> dependsOn(Node node) {
        List<String> ids = new ArrayList<>();
        if (node instanceof Node.Sequence seq) {
            for (Node item : seq.items()) ids.add(((Node.Scalar) item).text());
        }
        return ids;
    }
}
