package io.devbox.agent.hardening;

import io.devbox.agent.host.Host;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The fuzzer's seeds are valid profiles (else it would only fuzz error paths), and a short run finds nothing. */
class ProfileFuzzerTest {
    @TempDir
    Path tmp;

    @Test
    void seedsAreAcceptedAndAFewHundredMutantsAreRefusedOrAcceptedCleanly() throws Exception {
        Host host = ProfileFuzzer.host(Sandbox.box(tmp.resolve("box")), tmp.resolve("state"));
        List<byte[]> seeds = ProfileFuzzer.seeds();
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(2);
        for (byte[] s : seeds) assertThat(ProfileFuzzer.plan(s, host)).as(new String(s)).isTrue();
        Random r = new Random(20261129);
        for (int i = 0; i < 400; i++) {
            byte[] m = ProfileFuzzer.mutate(seeds.get(r.nextInt(seeds.size())), r);
            ProfileFuzzer.plan(m, host);
        }
    }
}
