package io.devbox.agent.profile;

import io.devbox.agent.bench.Fixtures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first profile load of a fresh JVM, as every `agent plan` process pays it: class loading, the schema load
 * (networknt, Jackson) and interpretation included. One shot per fork; run with several forks (e.g. -f 5).
 * {@code coldValidating} is a new commit (every file validated); {@code coldCached} an unchanged repository (the
 * validation cache knows the files, the validator is never loaded).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 5, jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"})
public class ColdLoadBench {
    @Param({"50", "2000", "10000"})
    int n;

    List<ProfileFile> files;
    ValidationCache knowsAll;

    @Setup
    public void setup() {
        files = Fixtures.layered(n);
        // the keys the loader would compute, without loading the loader's classes before the measurement
        ProfileBench.MemoryCache cache = new ProfileBench.MemoryCache();
        byte[] schema = SchemaResource.bytes();
        for (ProfileFile f : files) cache.remember(sha256(schema, f.content()));
        knowsAll = cache;
    }

    private static String sha256(byte[] a, byte[] b) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(a);
            d.update(b);
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public ComposedSpec coldValidating() throws ProfileException {
        return new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(files, Fixtures.identity(), null);
    }

    @Benchmark
    public ComposedSpec coldCached() throws ProfileException {
        return new ProfileLoader(knowsAll, io.devbox.agent.kinds.Kinds.schema()).load(files, Fixtures.identity(), null);
    }
}
