package io.devbox.agent.kinds.packages;

import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian version order, checked against dpkg itself ({@code dpkg --compare-versions}) on the tricky cases. */
class DebianVersionTest {
    static final List<String> VERSIONS = List.of("1.0", "1.0-1", "1.0-2", "1.0-10", "1.0~rc1-1", "1.0+dfsg-1", "1.0.1",
            "1.00", "1.0a", "1.0~", "1.0~~", "1:0.9", "2:1.0", "0:1.0", "1.6-2.1", "1.6-2.1ubuntu3", "1.6-2.1+deb12u1",
            "2.6.1", "2.10.0", "2.9.99", "10", "9", "1.2.3-4.5~bpo12+1", "7.88.1-10+deb12u8", "1.0-1~", "a", "1.0.a");

    @Test
    void ordersLikeDpkg() throws Exception {
        SystemTests.requireCommand("dpkg");
        List<String> mismatches = new ArrayList<>();
        for (String a : VERSIONS) {
            for (String b : VERSIONS) {
                int ours = Integer.signum(DebianVersion.compare(a, b));
                int dpkg = dpkgOrder(a, b);
                if (ours != dpkg) mismatches.add(a + " vs " + b + ": ours " + ours + ", dpkg " + dpkg);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static int dpkgOrder(String a, String b) throws Exception {
        if (ok(a, "lt", b)) return -1;
        return ok(a, "eq", b) ? 0 : 1;
    }

    private static boolean ok(String a, String op, String b) throws Exception {
        return SystemTests.run(List.of("dpkg", "--compare-versions", a, op, b), Map.of(), null, Duration.ofSeconds(10)).exitCode() == 0;
    }

    @Test
    void knownOrders() {
        assertThat(DebianVersion.compare("1.0~rc1", "1.0")).isNegative();
        assertThat(DebianVersion.compare("1:0.1", "9.9")).isPositive();
        assertThat(DebianVersion.compare("1.10", "1.9")).isPositive();
        assertThat(DebianVersion.compare("1.0-1", "1.0-1")).isZero();
        assertThat(DebianVersion.compare("1.00", "1.0")).isZero();
    }

    @Test
    void syntax() {
        assertThat(DebianVersion.valid("1.6-2.1ubuntu3")).isTrue();
        assertThat(DebianVersion.valid("1:2.3-4")).isTrue();
        assertThat(DebianVersion.valid("1.6 ; rm -rf /")).isFalse();
        assertThat(DebianVersion.valid("1.6\n2")).isFalse();
        assertThat(DebianVersion.valid("-1")).isFalse();
        assertThat(DebianVersion.valid("present")).isFalse();
        assertThat(DebianVersion.valid("a:1.0")).isFalse();
        assertThat(DebianVersion.valid("1.0:1")).isFalse();
    }
}
