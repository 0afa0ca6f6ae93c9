package io.devbox.agent.profile;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads profiles: YAML with positions, schema validation, selection for a box, {@code ${variables}}, composition.
 * Collects every error of every file and throws them together, sorted, as one {@link ProfileException}.
 */
public final class ProfileLoader {
    /** All profiles of a repository together: a fleet's profiles are a few kB each. */
    static final long MAX_TOTAL_BYTES = 8L << 20;
    static final int MAX_TOTAL_NODES = 500_000;
    static final int MAX_FILES = 2000;
    private final ValidationCache cache;

    public ProfileLoader(ValidationCache cache) {
        this.cache = cache == null ? ValidationCache.NONE : cache;
    }

    /** Parse + schema-validate every file, then select, expand variables, and compose. */
    public ComposedSpec load(List<ProfileFile> files, HostIdentity host, RepoFiles repoFiles) throws ProfileException {
        List<ProfileError> errors = new ArrayList<>();
        List<Read> read = readAll(files, errors);
        List<Read> selected = new ArrayList<>();
        for (Read r : read) if (r.profile.selector().matches(host)) selected.add(r);
        selected.sort(Comparator.comparingInt((Read r) -> r.profile.priority()).thenComparing(r -> r.profile.file()));
        List<Composition.Layer> layers = new ArrayList<>(selected.size());
        List<String> names = new ArrayList<>(selected.size());
        for (Read r : selected) {
            Node spec = Variables.expand(r.profile.spec(), r.parsed.scalars(), host, errors);
            layers.add(new Composition.Layer(r.profile.file(), r.profile.priority(), (Node.Mapping) spec));
            names.add(r.profile.name());
        }
        Map<String, Node> sections = new Composition(errors).compose(layers);
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return new ComposedSpec(sections, names, repoFiles == null ? RepoFiles.NONE : repoFiles);
    }

    /** Parse + validate only (all files, no selection), e.g. for {@code agent validate}. */
    public List<Profile> parse(List<ProfileFile> files) throws ProfileException {
        List<ProfileError> errors = new ArrayList<>();
        List<Read> read = readAll(files, errors);
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return read.stream().map(r -> r.profile).toList();
    }

    private record Read(Profile profile, YamlReader.Parsed parsed) {
    }

    private List<Read> readAll(List<ProfileFile> files, List<ProfileError> errors) {
        List<ProfileFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(ProfileFile::path));
        byte[] schema = cache == ValidationCache.NONE ? null : SchemaResource.bytes();
        List<String> nowValid = new ArrayList<>();
        List<Read> result = new ArrayList<>();
        Map<String, Profile> byName = new HashMap<>();
        if (sorted.size() > MAX_FILES) {
            errors.add(new ProfileError(Origin.ofFile(sorted.get(MAX_FILES).path()), "more than " + MAX_FILES
                    + " profile files; the agent reads at most " + MAX_FILES));
            return result;
        }
        // before parsing anything: a file over the per-file limit is reported by YamlReader and counts for nothing here
        long totalBytes = 0;
        for (ProfileFile f : sorted) {
            if (f.content().length > YamlReader.MAX_BYTES) continue;
            totalBytes += f.content().length;
            if (totalBytes > MAX_TOTAL_BYTES) {
                errors.add(new ProfileError(Origin.ofFile(f.path()), "the profiles together exceed " + (MAX_TOTAL_BYTES >> 20)
                        + " MiB with this file (" + totalBytes + " bytes so far); split the fleet or trim the profiles"));
                return result;
            }
        }
        long totalNodes = 0;
        for (ProfileFile f : sorted) {
            if (!f.loaded()) {
                errors.add(YamlReader.tooLarge(f.path(), f.size()));
                continue;
            }
            Optional<YamlReader.Parsed> parsed = YamlReader.read(f.path(), f.content(), errors);
            if (parsed.isEmpty()) continue;
            totalNodes += parsed.get().nodes();
            if (totalNodes > MAX_TOTAL_NODES) {
                errors.add(new ProfileError(Origin.ofFile(f.path()), "the profiles together hold more than " + MAX_TOTAL_NODES
                        + " values (YAML nodes) with this file; trim the profiles"));
                break;
            }
            String key = schema == null ? null : key(schema, f.content());
            if (key == null || !cache.knownValid(key)) {
                if (!SchemaValidator.validate(parsed.get(), errors)) {
                    // still report unknown variables: every error of a file in one run
                    if (parsed.get().root() instanceof Node.Mapping root && root.get("spec") instanceof Node.Mapping spec) {
                        Variables.check(spec, parsed.get().scalars(), errors);
                    }
                    continue;
                }
                if (key != null) nowValid.add(key);
            }
            int before = errors.size();
            Profile p = profile(parsed.get(), errors);
            Variables.check(p.spec(), parsed.get().scalars(), errors);
            if (errors.size() > before) continue;
            Profile first = byName.putIfAbsent(p.name(), p);
            if (first != null) {
                Node.Mapping meta = (Node.Mapping) ((Node.Mapping) parsed.get().root()).get("metadata");
                errors.add(new ProfileError(meta.get("name").origin(), "metadata.name: duplicate profile name '" + p.name()
                        + "' (also " + nameOrigin(first, result) + ")"));
                continue;
            }
            result.add(new Read(p, parsed.get()));
        }
        if (!nowValid.isEmpty()) cache.rememberAll(nowValid);
        return result;
    }

    private static String nameOrigin(Profile first, List<Read> read) {
        for (Read r : read) {
            if (r.profile == first) {
                Node.Mapping meta = (Node.Mapping) ((Node.Mapping) r.parsed.root()).get("metadata");
                return "in " + meta.get("name").origin().shortForm();
            }
        }
        return "in " + first.file();
    }

    /** The profile of a schema-valid file (the schema guarantees the shapes read here). */
    private static Profile profile(YamlReader.Parsed parsed, List<ProfileError> errors) {
        Node.Mapping root = (Node.Mapping) parsed.root();
        Node.Mapping meta = (Node.Mapping) root.get("metadata");
        String name = text(meta.get("name"), "");
        String description = text(meta.get("description"), "");
        Selector selector = Selector.ANY;
        if (root.get("selector") instanceof Node.Mapping sel) {
            List<String> hostnames = new ArrayList<>();
            if (sel.get("hostnames") instanceof Node.Sequence hs) {
                for (Node h : hs.items()) {
                    String glob = text(h, "");
                    Glob.problem(glob).ifPresent(p -> errors.add(new ProfileError(h.origin(), "selector.hostnames: " + p)));
                    hostnames.add(glob);
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sel.get("labels") instanceof Node.Mapping ls) {
                ls.entries().forEach((k, v) -> labels.put(k, text(v, "")));
            }
            selector = new Selector(hostnames, labels);
        }
        int priority = 0;
        if (root.get("priority") instanceof Node.Scalar s && !s.isNull()) priority = Integer.parseInt(s.text());
        Node.Mapping spec = root.get("spec") instanceof Node.Mapping m ? m
                : new Node.Mapping(Map.of(), Map.of(), root.keyOrigin("spec"));
        return new Profile(name, description, parsed.file(), selector, priority, spec, root.origin());
    }

    private static String text(Node n, String absent) {
        return n instanceof Node.Scalar s && !s.isNull() ? s.text() : absent;
    }

    private static String key(byte[] schema, byte[] content) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(schema);
            d.update(content);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
