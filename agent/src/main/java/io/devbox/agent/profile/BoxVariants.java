package io.devbox.agent.profile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The boxes a repository's selectors tell apart, for {@code agent validate --all-boxes}: one representative box
 * (hostname and labels) per distinct set of profiles that select it. A conflict that only a {@code team=db} box would
 * hit is then found in the repository's CI, not on that box.
 *
 * <p>Hostnames tried: this box's own (so that a repository without hostname selectors is checked for it), every hostname glob of a selector with its wildcards filled in ({@code *} as nothing and as
 * {@code x}, {@code ?} as {@code x}, a class as a character of it), the pairwise overlaps of globs (the head of one
 * before its first {@code *} with the tail of the other after its last), and a name no glob is likely to match.
 * Labels tried: every value a selector names for a key, and the key absent, in every combination, at most
 * {@value #MAX_COMBINATIONS} of them.
 */
public final class BoxVariants {
    static final int MAX_COMBINATIONS = 20_000;
    static final String UNMATCHED_HOST = "unmatched-host-0";

    /** The representative boxes, and whether the label combinations were too many to try all. */
    public record Result(List<HostIdentity> boxes, boolean truncated) {
    }

    private BoxVariants() {
    }

    /** @param base whose user and home the boxes get (variables need them) */
    public static Result of(List<Profile> profiles, HostIdentity base) {
        List<String> hostnames = new ArrayList<>();
        if (base.hostname() != null && !base.hostname().isEmpty()) hostnames.add(base.hostname());
        for (String h : hostnames(profiles)) if (!hostnames.contains(h)) hostnames.add(h);
        Map<String, List<String>> values = labelValues(profiles);
        List<String> keys = new ArrayList<>(values.keySet());
        Map<BitSet, HostIdentity> distinct = new LinkedHashMap<>();
        int[] choice = new int[keys.size()];
        long tried = 0;
        boolean truncated = false;
        while (true) {
            Map<String, String> labels = new TreeMap<>();
            for (int k = 0; k < keys.size(); k++) {
                String v = values.get(keys.get(k)).get(choice[k]);
                if (v != null) labels.put(keys.get(k), v);
            }
            for (String h : hostnames) {
                if (++tried > MAX_COMBINATIONS) {
                    truncated = true;
                    break;
                }
                HostIdentity box = new HostIdentity(h, labels, base.user(), base.home());
                BitSet selected = new BitSet(profiles.size());
                for (int i = 0; i < profiles.size(); i++) if (profiles.get(i).selector().matches(box)) selected.set(i);
                distinct.putIfAbsent(selected, box);
            }
            if (truncated || !next(choice, keys, values)) break;
        }
        return new Result(new ArrayList<>(distinct.values()), truncated);
    }

    /** Odometer over the label choices; false after the last combination. */
    private static boolean next(int[] choice, List<String> keys, Map<String, List<String>> values) {
        for (int k = choice.length - 1; k >= 0; k--) {
            if (++choice[k] < values.get(keys.get(k)).size()) return true;
            choice[k] = 0;
        }
        return false;
    }

    /** For every label key a selector names: the values named for it, then null (the key absent). */
    private static Map<String, List<String>> labelValues(List<Profile> profiles) {
        Map<String, Set<String>> byKey = new TreeMap<>();
        for (Profile p : profiles) {
            p.selector().labels().forEach((k, v) -> byKey.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        byKey.forEach((k, vs) -> {
            List<String> list = new ArrayList<>(vs);
            list.add(null);
            out.put(k, list);
        });
        return out;
    }

    static List<String> hostnames(List<Profile> profiles) {
        Set<String> globs = new LinkedHashSet<>();
        for (Profile p : profiles) globs.addAll(p.selector().hostnames());
        Set<String> out = new LinkedHashSet<>();
        for (String g : globs) {
            out.add(fill(g, ""));
            out.add(fill(g, "x"));
        }
        for (String a : globs) {
            for (String b : globs) {
                if (a.equals(b)) continue;
                int star = a.indexOf('*');
                int lastStar = b.lastIndexOf('*');
                if (star < 0 || lastStar < 0) continue;
                out.add(fill(a.substring(0, star), "") + fill(b.substring(lastStar + 1), ""));
            }
        }
        out.add(UNMATCHED_HOST);
        out.removeIf(String::isEmpty);
        return new ArrayList<>(out);
    }

    /** The glob with {@code *} as {@code star}, {@code ?} as x and each class as one character it admits. */
    private static String fill(String glob, String star) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                sb.append(star);
            } else if (c == '?') {
                sb.append('x');
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 2);
                if (end < 0) return sb.toString();
                String cls = glob.substring(i + 1, end);
                sb.append(classMember(cls));
                i = end;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static char classMember(String cls) {
        boolean negate = cls.startsWith("!") || cls.startsWith("^");
        if (!negate) return cls.isEmpty() ? 'x' : cls.charAt(0);
        for (char c : "xyzabcdefghijklmnopqrstuvw0123456789-".toCharArray()) {
            if (Glob.matches("[" + cls + "]", String.valueOf(c))) return c;
        }
        return 'x';
    }
}
