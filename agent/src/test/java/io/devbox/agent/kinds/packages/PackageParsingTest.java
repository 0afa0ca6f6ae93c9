package io.devbox.agent.kinds.packages;

import io.devbox.agent.host.CommandResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parsers of dpkg's and apt's output, fed with output recorded from the real tools (Debian 12). */
class PackageParsingTest {
    /** dpkg-query -W -f=FORMAT over installed, held, removed-with-config, half-configured and Multi-Arch packages. */
    static final String DPKG = """
            apt\tapt\tii \t2.6.1\tinstall ok installed
            devbox-t-hello\tdevbox-t-hello\thi \t1.0-1\thold ok installed
            devbox-t-conf\tdevbox-t-conf\trc \t1.0-1\tdeinstall ok config-files
            devbox-t-slow\tdevbox-t-slow\tiF \t1.0-1\tinstall ok half-configured
            libc6:amd64\tlibc6\tii \t2.36-9+deb12u9\tinstall ok installed
            libc6:i386\tlibc6\tun \t\tunknown ok not-installed
            devbox-t-reinst\tdevbox-t-reinst\tiUR\t1.0-1\treinstreq ok unpacked
            garbage without tabs
            evil\nname\tx\tii \t1\tinstall ok installed
            """;

    @Test
    void dpkgQueryStates() {
        DpkgStatus s = DpkgStatus.parse(DPKG);
        assertThat(s.of("apt")).isEqualTo(new PackageObserved(PackageObserved.State.INSTALLED, "2.6.1", false, "install ok installed", null));
        assertThat(s.of("devbox-t-hello").held()).isTrue();
        assertThat(s.of("devbox-t-hello").state()).isEqualTo(PackageObserved.State.INSTALLED);
        assertThat(s.of("devbox-t-conf").state()).isEqualTo(PackageObserved.State.ABSENT);
        assertThat(s.of("devbox-t-conf").version()).isNull();
        assertThat(s.of("devbox-t-slow").state()).isEqualTo(PackageObserved.State.BROKEN);
        assertThat(s.of("devbox-t-slow").status()).isEqualTo("install ok half-configured");
        assertThat(s.of("devbox-t-reinst").state()).isEqualTo(PackageObserved.State.BROKEN);
        assertThat(s.of("libc6").version()).isEqualTo("2.36-9+deb12u9");
        assertThat(s.of("libc6:amd64").state()).isEqualTo(PackageObserved.State.INSTALLED);
        assertThat(s.of("libc6:i386").state()).isEqualTo(PackageObserved.State.ABSENT);
        assertThat(s.of("nosuch")).isEqualTo(PackageObserved.absent());
        assertThat(s.of("x").state()).isEqualTo(PackageObserved.State.ABSENT);
    }

    static final String POLICY = """
            devbox-t-hello:
              Installed: 1.0-1
              Candidate: 2.0-1
              Version table:
                 2.0-1 500
                    500 file:/repo ./ Packages
                 1.1-1 500
                    500 file:/repo ./ Packages
             *** 1.0-1 500
                    500 file:/repo ./ Packages
                    100 /var/lib/dpkg/status
            apt:
              Installed: 2.6.1
              Candidate: 2.6.1
              Version table:
             *** 2.6.1 100
                    100 /var/lib/dpkg/status
            devbox-t-gone:
              Installed: (none)
              Candidate: (none)
              Version table:
            """;

    @Test
    void aptCachePolicy() {
        AptPolicy p = AptPolicy.parse(POLICY);
        assertThat(p.of("devbox-t-hello").orElseThrow()).isEqualTo(new AptPolicy.Offer("2.0-1", List.of("2.0-1", "1.1-1", "1.0-1")));
        assertThat(p.knows("devbox-t-hello", new PackageResource.Version("1.1-1"))).isTrue();
        assertThat(p.knows("devbox-t-hello", new PackageResource.Version("9.9"))).isFalse();
        assertThat(p.knows("devbox-t-hello", new PackageResource.Present())).isTrue();
        assertThat(p.knows("devbox-t-gone", new PackageResource.Present())).isFalse();
        assertThat(p.knows("nosuch", new PackageResource.Present())).isFalse();
        assertThat(p.of("apt").orElseThrow().candidate()).isEqualTo("2.6.1");
    }

    static CommandResult result(int code, String out, String err) {
        return new CommandResult(List.of("apt-get"), code, out, err);
    }

    @Test
    void aptWords() {
        CommandResult held = result(100, "Reading package lists...\nThe following held packages will be changed:\n  devbox-t-hello\n",
                "E: Held packages were changed and -y was used without --allow-change-held-packages.\n");
        assertThat(AptOutput.errors(held)).isEqualTo("E: Held packages were changed and -y was used without --allow-change-held-packages.");
        CommandResult unknown = result(100, "", "E: Unable to locate package nosuch\nE: Version '9.9' for 'devbox-t-hello' was not found\n");
        assertThat(AptOutput.errors(unknown)).isEqualTo("E: Unable to locate package nosuch; E: Version '9.9' for 'devbox-t-hello' was not found");
        CommandResult lock = result(100, "",
                "Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 97 (apt-get)...\n"
                        + "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n");
        assertThat(AptOutput.lockBusy(lock)).isTrue();
        assertThat(AptOutput.lockHolder(lock)).contains("process 97 (apt-get)");
        assertThat(AptOutput.lockFile(lock)).isEqualTo("/var/lib/dpkg/lock-frontend");
        assertThat(AptOutput.lockBusy(held)).isFalse();
        CommandResult sandbox = result(100, "", "E: Could not get lock /tmp/box/var/lib/dpkg/lock-frontend. It is held by process 12 (dpkg)\n");
        assertThat(AptOutput.lockFile(sandbox)).isEqualTo("/tmp/box/var/lib/dpkg/lock-frontend");
        assertThat(AptOutput.lockFile(result(100, "", "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 3 (apt-get)\n")))
                .isEqualTo("/var/lib/apt/lists/lock");
        assertThat(AptOutput.errors(result(1, "", ""))).isEqualTo("apt-get exited 1");
    }

    @Test
    void simulatedRemovals() {
        String sim = "NOTE: This is only a simulation!\nRemv devbox-t-dep [1.0-1]\nRemv devbox-t-hello [1.0-1]\nInst x (1 file:/repo ./ [all])\n";
        assertThat(AptOutput.removals(sim)).containsExactly("devbox-t-dep", "devbox-t-hello");
    }
}
