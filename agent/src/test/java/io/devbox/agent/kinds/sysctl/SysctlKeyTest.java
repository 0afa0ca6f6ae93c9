package io.devbox.agent.kinds.sysctl;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SysctlKeyTest {
    /** The rule as the regex it replaced; the hand-written check must agree on every character in every position. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_@:+-][A-Za-z0-9_.@:+-]*");

    @Test
    void segmentCheckAgreesWithTheRegex() {
        assertThat(SysctlKey.isSegment("")).isFalse();
        for (char c = 0; c < 0x3000; c++) {
            for (String s : new String[]{String.valueOf(c), c + "x", "x" + c, "a" + c + "b", "eth0" + c}) {
                assertThat(SysctlKey.isSegment(s)).as("%s (U+%04X)", s, (int) c).isEqualTo(SEGMENT.matcher(s).matches());
            }
        }
    }

    @Test
    void namesRoundTrip() {
        SysctlKey vlan = SysctlKey.parse("net/ipv4/conf/eth0.100/rp_filter");
        assertThat(vlan.name()).isEqualTo("net.ipv4.conf.eth0/100.rp_filter");
        assertThat(SysctlKey.fromName(vlan.name())).isEqualTo(vlan);
        assertThat(SysctlKey.parse("vm.swappiness").name()).isEqualTo("vm.swappiness");
        assertThat(SysctlKey.parse("kernel").name()).isEqualTo("kernel");
        assertThat(SysctlKey.parse("net/ipv4/ip_forward")).isEqualTo(SysctlKey.parse("net.ipv4.ip_forward"));
    }

    @Test
    void pathsUnderTheSysctlDirectory() {
        Path dir = Path.of("/proc/sys");
        assertThat(SysctlKey.parse("net/ipv4/conf/eth0.100/rp_filter").under(dir))
                .isEqualTo(dir.resolve("net").resolve("ipv4").resolve("conf").resolve("eth0.100").resolve("rp_filter"));
        assertThat(SysctlKey.parse("vm.swappiness").under(dir)).isEqualTo(Path.of("/proc/sys/vm/swappiness"));
        assertThat(SysctlKey.parse("net.core.somaxconn").isNetwork()).isTrue();
        assertThat(SysctlKey.parse("netfilter.x").isNetwork()).isFalse();
        assertThat(SysctlKey.parse("vm.swappiness").segments()).containsExactly("vm", "swappiness");
    }

    @Test
    void observedPrintsAsTheRecordWould() {
        // plan fingerprints hash this text: it must stay what the generated record toString printed
        assertThat(new SysctlObserved("32768 60999", null)).hasToString("SysctlObserved[runtime=32768 60999, persisted=null]");
        assertThat(new SysctlObserved(null, "1")).hasToString("SysctlObserved[runtime=null, persisted=1]");
    }
}
