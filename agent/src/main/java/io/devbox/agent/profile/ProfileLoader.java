package io.devbox.agent.profile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads profiles: YAML with positions, schema validation of each file's shape, selection for a box,
 * {@code ${variables}}, composition, and the composed spec's completeness ({@code #/$defs/composedSpec}). Collects
 * every error of every file and throws them together, sorted, as one {@link ProfileException}.
 *
 * <p>Composition comes before completeness: a profile of higher priority may set one field of a kind and leave the
 * others to the profiles below it; what a kind needs is required of the spec composed for a box, not of each file.
 */
public final class ProfileLoader {
    /** All profiles of a repository together: a fleet's profiles are a few kB each. */
    static final long MAX_TOTAL_BYTES = 8L << 20;
    static final int MAX_TOTAL_NODES = 500_000;
    static final int MAX_FILES = 2000;
    private final ValidationCache cache;
    private final ProfileSchema schema;

    /** @param schema what each file's shape and each composition must satisfy: the schema of the run's kinds */
    public ProfileLoader(ValidationCache cache, ProfileSchema schema) {
        this.cache = cache == null ? ValidationCache.NONE : cache;
        this.schema = java.util.Objects.requireNonNull(schema, "schema");
    }

    /** One profile read from a file whose shape is valid; {@code key} is its validation cache key (null: no cache). */
    record Entry(Profile profile, YamlReader.Parsed parsed, String key) {
    }

    /** The order of composition: by priority, then by file (a plain lambda: see {@link ProfileFile#BY_PATH}). */
    private static final Comparator<Entry> LAYER_ORDER = (a, b) -> {
        int byPriority = Integer.compare(a.profile().priority(), b.profile().priority());
        return byPriority != 0 ? byPriority : a.profile().file().compareTo(b.profile().file());
    };

    /**
     * Every profile file of a revision, read and checked alone: the profiles of the files whose shape is valid, and
     * the errors of all files (shape errors, and variables that no box knows). Composes for any box.
     */
    public static final class Profiles {
        private final List<Entry> entries;
        private final List<ProfileError> errors;

        Profiles(List<Entry> entries, List<ProfileError> errors) {
            this.entries = List.copyOf(entries);
            this.errors = List.copyOf(errors);
        }

        public List<Profile> profiles() {
            return entries.stream().map(Entry::profile).toList();
        }

        public List<ProfileError> errors() {
            return errors;
        }

        List<Entry> entries() {
            return entries;
        }
    }

    /** Parse, check shapes, select for {@code host}, expand variables, compose, check the composition. */
    public ComposedSpec load(List<ProfileFile> files, HostIdentity host, RepoFiles repoFiles) throws ProfileException {
        return compose(read(files), host, repoFiles);
    }

    /** Parse + check the shape of every file (no selection), e.g. for {@code agent validate}. */
    public List<Profile> parse(List<ProfileFile> files) throws ProfileException {
        Profiles read = read(files);
        if (!read.errors().isEmpty()) throw new ProfileException(read.errors());
        return read.profiles();
    }

    /** Every file parsed and checked for its shape; the errors are kept in the result, not thrown. */
    public Profiles read(List<ProfileFile> files) {
        List<ProfileError> errors = new ArrayList<>();
        List<Entry> entries = readAll(files, errors);
        return new Profiles(entries, errors);
    }

    /**
     * The spec composed for {@code host} from the profiles that select it, with the errors of the files too: every
     * error of the run in one exception. The composition's completeness is checked only when nothing else is wrong
     * (a field missing because its file is broken is no news).
     */
    public ComposedSpec compose(Profiles read, HostIdentity host, RepoFiles repoFiles) throws ProfileException {
        List<ProfileError> errors = new ArrayList<>(read.errors());
        List<Entry> selected = new ArrayList<>();
        for (Entry e : read.entries()) if (e.profile().selector().matches(host)) selected.add(e);
        selected.sort(LAYER_ORDER);
        List<Composition.Layer> layers = new ArrayList<>(selected.size());
        List<String> names = new ArrayList<>(selected.size());
        Map<Node.Scalar, YamlReader.ScalarInfo> types = new IdentityHashMap<>();
        for (Entry e : selected) {
            Node spec = Variables.expand(e.profile().spec(), e.parsed().scalars(), host, errors);
            layers.add(new Composition.Layer(e.profile().file(), e.profile().priority(), (Node.Mapping) spec));
            names.add(e.profile().name());
            types.putAll(e.parsed().scalars());
        }
        Node.Mapping composed = new Composition(errors).composeSpec(layers);
        if (errors.isEmpty() && !composed.entries().isEmpty()) checkComposition(composed, types, selected, host, names, errors);
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return new ComposedSpec(composed.entries(), names, repoFiles == null ? RepoFiles.NONE : repoFiles);
    }

    /**
     * {@code #/$defs/composedSpec} of the composition. Remembered valid (by the selected files' own keys and the box's
     * identity, which the variables depend on), so an unchanged repository on an unchanged box never loads the validator.
     */
    private void checkComposition(Node.Mapping composed, Map<Node.Scalar, YamlReader.ScalarInfo> types, List<Entry> selected,
                                  HostIdentity host, List<String> names, List<ProfileError> errors) {
        String key = compositionKey(selected, host);
        if (key != null && cache.knownValid(key)) return;
        if (schema.validator().validateComposed(composed, ProfileJson.toJson(composed, types), names, errors) && key != null) {
            cache.remember(key);
        }
    }

    private static String compositionKey(List<Entry> selected, HostIdentity host) {
        MessageDigest d = sha256();
        d.update("composed\0".getBytes(StandardCharsets.UTF_8));
        for (Entry e : selected) {
            if (e.key() == null) return null;
            d.update((e.profile().file() + "\0" + e.key() + "\0").getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder id = new StringBuilder();
        id.append(host.hostname()).append('\0').append(host.user()).append('\0').append(host.home()).append('\0');
        new TreeMap<>(host.labels()).forEach((k, v) -> id.append(k).append('=').append(v).append('\0'));
        d.update(id.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d.digest());
    }

    private List<Entry> readAll(List<ProfileFile> files, List<ProfileError> errors) {
        List<ProfileFile> sorted = new ArrayList<>(files);
        sorted.sort(ProfileFile.BY_PATH);
        byte[] schemaDigest = cache == ValidationCache.NONE ? null : schema.digest();
        List<String> nowValid = new ArrayList<>();
        List<Entry> result = new ArrayList<>();
        Map<String, Entry> byName = new HashMap<>();
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
            String key = schemaDigest == null ? null : key(schemaDigest, f.content());
            if (key == null || !cache.knownValid(key)) {
                if (!schema.validator().validate(parsed.get(), errors)) {
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
            if (errors.size() > before) continue;
            // a file whose variables are wrong is still composed: what only a box can tell (a missing label) is
            // reported in the same run as what is wrong anywhere
            Variables.check(p.spec(), parsed.get().scalars(), errors);
            Entry first = byName.putIfAbsent(p.name(), new Entry(p, parsed.get(), key));
            if (first != null) {
                Node.Mapping meta = (Node.Mapping) ((Node.Mapping) parsed.get().root()).get("metadata");
                errors.add(new ProfileError(meta.get("name").origin(), "metadata.name: duplicate profile name '" + p.name()
                        + "' (also in " + nameOrigin(first) + ")"));
                continue;
            }
            result.add(byName.get(p.name()));
        }
        if (!nowValid.isEmpty()) cache.rememberAll(nowValid);
        return result;
    }

    private static String nameOrigin(Entry first) {
        Node.Mapping meta = (Node.Mapping) ((Node.Mapping) first.parsed().root()).get("metadata");
        return meta.get("name").origin().shortForm();
    }

    /** The profile of a file whose shape is valid (the schema guarantees the shapes read here). */
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
        MessageDigest d = sha256();
        d.update(schema);
        d.update(content);
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
