package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns the composed {@code cgroups:} section into resources; every error is located at the offending key or value. */
final class CgroupSpecParser {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.@:+-]+");
    static final Pattern RESOURCE_ID = Pattern.compile("[a-z][a-z.]*\\[[^\\[\\]\\n]+\\]");
    private static final long MAX_WEIGHT = 10_000;

    private final List<ProfileError> errors = new ArrayList<>();

    List<CgroupResource> parse(Node section) throws ProfileException {
        List<CgroupResource> out = new ArrayList<>();
        if (section instanceof Node.Mapping m) {
            m.entries().forEach((path, node) -> resource(path, m.keyOrigin(path), node).ifPresent(out::add));
        } else if (!(section instanceof Node.Scalar s && s.isNull())) {
            errors.add(new ProfileError(section.origin(), "cgroups must be a mapping of cgroup paths to limits"));
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return out;
    }

    private Optional<CgroupResource> resource(String path, Origin keyOrigin, Node node) {
        Optional<String> problem = pathProblem(path);
        if (problem.isPresent()) {
            errors.add(new ProfileError(keyOrigin, "invalid cgroup path: " + problem.get()));
            return Optional.empty();
        }
        List<Wanted> limits = new ArrayList<>();
        List<String> dependsOn = new ArrayList<>();
        if (node instanceof Node.Mapping m) {
            for (var e : m.entries().entrySet()) {
                String group = e.getKey();
                if (group.equals("dependsOn")) {
                    dependsOn.addAll(dependsOn(e.getValue(), errors));
                } else {
                    group(group, e.getValue(), limits); // memory, cpu, io or pids: the schema allows no other key
                }
            }
        } else if (!(node instanceof Node.Scalar s && s.isNull())) {
            errors.add(new ProfileError(node.origin(), "the limits of cgroup " + path + " must be a mapping"));
        }
        return Optional.of(new CgroupResource(path, keyOrigin, limits, dependsOn));
    }

    private void group(String group, Node node, List<Wanted> limits) {
        if (!(node instanceof Node.Mapping m)) {
            errors.add(new ProfileError(node.origin(), group + " must be a mapping"));
            return;
        }
        for (var e : m.entries().entrySet()) {
            Setting s = Setting.of(group, e.getKey());
            if (s == null) {
                errors.add(new ProfileError(m.keyOrigin(e.getKey()), "unknown setting " + group + "." + e.getKey()));
                continue;
            }
            if (!(e.getValue() instanceof Node.Scalar v) || v.isNull()) {
                errors.add(new ProfileError(e.getValue().origin(), s.profileName() + " must be a value"));
                continue;
            }
            value(s, v).ifPresent(limits::add);
        }
    }

    private Optional<Wanted> value(Setting s, Node.Scalar v) {
        String t = v.text().strip();
        Optional<Long> parsed;
        String expected;
        switch (s) {
            case MEMORY_MAX, MEMORY_HIGH, MEMORY_SWAP_MAX -> {
                parsed = Conversions.parseSize(t).filter(n -> n == Wanted.MAX || n > 0 || s == Setting.MEMORY_SWAP_MAX);
                expected = "a size in bytes with an optional K, M, G or T suffix (binary), or max";
            }
            case CPU_MAX -> {
                parsed = Conversions.parseCpuPercent(t).filter(q -> q == Wanted.MAX || (q >= 1000 && q <= 100_000_000L));
                expected = "a percentage of one CPU from 1% to 100000% (e.g. \"150%\"), or max";
            }
            case CPU_WEIGHT, IO_WEIGHT -> {
                parsed = integer(t).filter(n -> n >= 1 && n <= MAX_WEIGHT);
                expected = "an integer from 1 to 10000 (the default is 100)";
            }
            case PIDS_MAX -> {
                parsed = t.equals("max") ? Optional.of(Wanted.MAX) : integer(t).filter(n -> n >= 1 && n <= 4_194_304L);
                expected = "a number of tasks from 1 to 4194304, or max";
            }
            default -> throw new IllegalStateException();
        }
        if (parsed.isEmpty()) {
            errors.add(new ProfileError(v.origin(), "invalid " + s.profileName() + " '" + t + "': expected " + expected));
            return Optional.empty();
        }
        return Optional.of(new Wanted(s, parsed.get(), t, v.origin()));
    }

    static Optional<String> pathProblem(String path) {
        Optional<String> p = SafePaths.relativeProblem(path);
        if (p.isPresent()) return p;
        for (String seg : path.split("/")) {
            if (!SEGMENT.matcher(seg).matches()) return Optional.of("path has an invalid segment '" + seg + "' (allowed: letters, digits, _ . @ : + -)");
            if (seg.startsWith("cgroup.")) return Optional.of("path segment '" + seg + "' collides with the kernel's cgroup.* files");
        }
        return Optional.empty();
    }

    /** Parses an explicit {@code dependsOn: [kind[name], ...]} list. */
    static List<String> dependsOn(Node node, List<ProfileError> errors) {
        List<String> ids = new ArrayList<>();
        if (!(node instanceof Node.Sequence seq)) {
            errors.add(new ProfileError(node.origin(), "dependsOn must be a list of resource ids like cgroup[build.slice]"));
            return ids;
        }
        for (Node item : seq.items()) {
            if (item instanceof Node.Scalar s && !s.isNull() && RESOURCE_ID.matcher(s.text()).matches()) {
                ids.add(s.text());
            } else {
                errors.add(new ProfileError(item.origin(), "dependsOn entries must be resource ids like cgroup[build.slice] or unit[docker.service]"));
            }
        }
        return ids;
    }

    private static Optional<Long> integer(String t) {
        if (!t.matches("[0-9]{1,10}")) return Optional.empty();
        return Optional.of(Long.parseLong(t));
    }
}
