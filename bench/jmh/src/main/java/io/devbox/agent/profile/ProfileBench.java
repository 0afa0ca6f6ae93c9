package io.devbox.agent.profile;

import io.devbox.agent.bench.Fixtures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Profile loading, warm: YAML with positions, schema validation, and composition, separately and as ProfileLoader
 * runs them (with and without the validation cache). In this package to reach YamlReader, SchemaValidator and
 * Composition, which are package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProfileBench {
    @Param({"50", "2000", "10000"})
    int n;

    List<ProfileFile> single;
    List<ProfileFile> layered;
    YamlReader.Parsed parsed;
    List<Composition.Layer> layers;
    ValidationCache knowsAll;

    /** In memory: remembers what passed. */
    static final class MemoryCache implements ValidationCache {
        final Set<String> keys = new HashSet<>();

        @Override
        public boolean knownValid(String key) {
            return keys.contains(key);
        }

        @Override
        public void remember(String key) {
            keys.add(key);
        }

        @Override
        public void rememberAll(Collection<String> k) {
            keys.addAll(k);
        }
    }

    @Setup
    public void setup() throws ProfileException {
        single = Fixtures.single(n);
        layered = Fixtures.layered(n);
        List<ProfileError> errors = new ArrayList<>();
        parsed = YamlReader.read(single.get(0).path(), single.get(0).content(), errors).orElseThrow();
        layers = new ArrayList<>();
        int priority = 0;
        for (ProfileFile f : layered) {
            YamlReader.Parsed p = YamlReader.read(f.path(), f.content(), errors).orElseThrow();
            Node.Mapping spec = (Node.Mapping) ((Node.Mapping) p.root()).get("spec");
            layers.add(new Composition.Layer(f.path(), priority, spec));
            priority += 10;
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        knowsAll = new MemoryCache();
        new ProfileLoader(knowsAll, io.devbox.agent.kinds.Kinds.schema()).load(layered, Fixtures.identity(), null);
        new ProfileLoader(knowsAll, io.devbox.agent.kinds.Kinds.schema()).load(single, Fixtures.identity(), null);
    }

    /** snakeyaml-engine events to nodes with positions (one file of n keys). */
    @Benchmark
    public YamlReader.Parsed parseYaml() {
        List<ProfileError> errors = new ArrayList<>();
        return YamlReader.read(single.get(0).path(), single.get(0).content(), errors).orElseThrow();
    }

    /** networknt validation of one parsed file of n keys, schema already loaded. */
    @Benchmark
    public boolean validateSchema() {
        return SchemaValidator.validate(parsed, new ArrayList<>());
    }

    /** Three layers (n, n/2, n/10 keys) merged by priority, origins kept. */
    @Benchmark
    public Object compose() {
        return new Composition(new ArrayList<>()).compose(layers);
    }

    /** What a run does on a new commit: parse, validate every file, select, expand variables, compose (3 layers). */
    @Benchmark
    public ComposedSpec loadValidating() throws ProfileException {
        return new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(layered, Fixtures.identity(), null);
    }

    /** What a run does when the files already passed: parse, cache hit (SHA-256 of the content), compose. */
    @Benchmark
    public ComposedSpec loadCached() throws ProfileException {
        return new ProfileLoader(knowsAll, io.devbox.agent.kinds.Kinds.schema()).load(layered, Fixtures.identity(), null);
    }
}
