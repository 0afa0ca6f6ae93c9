package io.devbox.agent.kinds;

import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.profile.ValidationCache;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Value rules the kinds' parsers used to repeat and only the schema states now (port numbers and tcp, wsl values,
 * cgroup limits and paths, unit and drop-in names, one-line values, Go versions and env names), and path rules the
 * schema states so that editors show them too (a '..' segment): each reaches `agent validate` as a located error with
 * the kind's message, from the profile loader's schema check, before any parser runs.
 */
class SchemaStatedValuesTest {
    private static final HostIdentity BOX = new HostIdentity("dev-1", Map.of(), "dev", "/home/dev");

    private static List<String> errors(String spec) {
        String yaml = "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: p}\nspec:\n" + spec;
        try {
            new ProfileLoader(ValidationCache.NONE, Kinds.schema())
                    .load(List.of(new ProfileFile("profiles/p.yaml", yaml.getBytes(StandardCharsets.UTF_8))), BOX, RepoFiles.NONE);
            return List.of();
        } catch (ProfileException e) {
            return e.errors().stream().map(ProfileError::render).toList();
        }
    }

    @Test
    void portRules() {
        assertThat(errors("  ports:\n    - {port: 70000, protocol: udp, listenAddress: 999.1.1.1, interface: \"bad name!\"}\n"
                + "    - {port: 8081, targetPort: 0, localhostOnly: maybe}\n")).containsExactly(
                "profiles/p.yaml:6:14: spec.ports[0].port: must be a port number from 1 to 65535",
                "profiles/p.yaml:6:31: spec.ports[0].protocol: only tcp: Windows portproxy forwards TCP only",
                "profiles/p.yaml:6:51: spec.ports[0].listenAddress: must be an IPv4 address like 0.0.0.0 or 127.0.0.1",
                "profiles/p.yaml:6:73: spec.ports[0].interface: must be a network interface name like eth0 (at most 15 letters, digits, '_', '.', '@', '-')",
                "profiles/p.yaml:7:32: spec.ports[1].targetPort: must be a port number from 1 to 65535",
                "profiles/p.yaml:7:50: spec.ports[1].localhostOnly: expected boolean, got string");
        assertThat(errors("  ports:\n    - {port: 8080.0, targetPort: 9.09e3, listenAddress: 255.255.255.255, interface: eth0.100}\n"))
                .as("numbers YAML writes with a fraction or an exponent are whole numbers").isEmpty();
    }

    @Test
    void wslRules() {
        assertThat(errors("  wsl:\n    conf:\n      boot: {systemd: maybe, command: \"a\\nb\"}\n      automount: {cgroups: v3}\n"
                + "      Boot: {}\n    wslconfig:\n      wsl2: {memory: 8XB, processors: 0}\n      experimental: {ignoredPorts: \"1,a\"}\n"
                + "    wslconfigPath: 'C:\\Users\\..\\x'\n    persistSysctls: yes\n")).containsExactly(
                "profiles/p.yaml:7:23: spec.wsl.conf.boot.systemd: expected boolean, got string",
                "profiles/p.yaml:7:39: spec.wsl.conf.boot.command: must be on one line (no line breaks)",
                "profiles/p.yaml:8:28: spec.wsl.conf.automount.cgroups: must be one of 'v1', 'v2'; got 'v3'",
                "profiles/p.yaml:9:7: spec.wsl.conf.Boot: unknown field 'Boot'",
                "profiles/p.yaml:11:22: spec.wsl.wslconfig.wsl2.memory: must be a size like 8GB, 512MB or 1073741824",
                "profiles/p.yaml:11:39: spec.wsl.wslconfig.wsl2.processors: must be at least 1, got 0",
                "profiles/p.yaml:12:36: spec.wsl.wslconfig.experimental.ignoredPorts: must be a comma-separated list of ports, e.g. 3000,8080",
                "profiles/p.yaml:13:20: spec.wsl.wslconfigPath: must be an absolute Linux path (/mnt/c/Users/me/.wslconfig) or a Windows "
                        + "path (C:\\Users\\me\\.wslconfig), on one line, without a '..' segment",
                "profiles/p.yaml:14:21: spec.wsl.persistSysctls: expected boolean, got string");
        assertThat(errors("  wsl:\n    wslconfigPath: /mnt/c/Users/x/../../etc/.wslconfig\n")).singleElement().asString()
                .startsWith("profiles/p.yaml:6:20: spec.wsl.wslconfigPath: must be an absolute Linux path");
        assertThat(errors("  wsl:\n    wslconfigPath: /mnt/c/Users/me..x/.wslconfig\n")).as("'..' inside a name is no segment").isEmpty();
    }

    @Test
    void cgroupRules() {
        assertThat(errors("  cgroups:\n    a.slice: {cpu: {max: \"0.5%\", weight: 0}, pids: {max: 4194305}, memory: {max: 0, high: 0K, swapMax: 0}}\n"
                + "    cgroup.procs: {}\n    b.slice/cgroup.x: {}\n    c.slice/../d: {}\n    e.slice: {cpu: {max: \"100000.5%\"}, io: {weight: 10001}}\n"))
                .containsExactly(
                        "profiles/p.yaml:6:26: spec.cgroups.a.slice.cpu.max: must be a percentage of one CPU from 1% to 100000% like \"150%\", or max",
                        "profiles/p.yaml:6:42: spec.cgroups.a.slice.cpu.weight: must be at least 1, got 0",
                        "profiles/p.yaml:6:58: spec.cgroups.a.slice.pids.max: must be a number of tasks from 1 to 4194304, or max",
                        "profiles/p.yaml:6:82: spec.cgroups.a.slice.memory.max: must be a size like 512M, 8G or 1073741824 (more than 0), or max",
                        "profiles/p.yaml:6:91: spec.cgroups.a.slice.memory.high: must be a size like 512M, 8G or 1073741824 (more than 0), or max",
                        "profiles/p.yaml:7:5: spec.cgroups.cgroup.procs: not a cgroup path: use segments of letters, digits, '_', '.', '@', ':', "
                                + "'+', '-' separated by '/' (no '..', no leading '/', no segment starting with 'cgroup.', which names the kernel's files)",
                        "profiles/p.yaml:8:5: spec.cgroups.b.slice/cgroup.x: not a cgroup path: use segments of letters, digits, '_', '.', '@', ':', "
                                + "'+', '-' separated by '/' (no '..', no leading '/', no segment starting with 'cgroup.', which names the kernel's files)",
                        "profiles/p.yaml:9:5: spec.cgroups.c.slice/../d: not a cgroup path: use segments of letters, digits, '_', '.', '@', ':', "
                                + "'+', '-' separated by '/' (no '..', no leading '/', no segment starting with 'cgroup.', which names the kernel's files)",
                        "profiles/p.yaml:10:26: spec.cgroups.e.slice.cpu.max: must be a percentage of one CPU from 1% to 100000% like \"150%\", or max",
                        "profiles/p.yaml:10:53: spec.cgroups.e.slice.io.weight: must be at most 10000, got 10001");
        assertThat(errors("  cgroups:\n    a.slice: {cpu: {max: \"1%\", weight: 1e2}, pids: {max: 4194304}, memory: {max: 1.5e9, swapMax: 0}}\n"
                + "    b.slice: {cpu: {max: \"100000%\"}, memory: {max: max, high: 1}}\n    my.cgroup.slice: {}\n")).isEmpty();
    }

    @Test
    void unitRules() {
        assertThat(errors("  systemd:\n    units:\n      docker: {}\n      f.service: {dropins: {limits: x, .conf: y, " + "a".repeat(251)
                + ".conf: z}, state: running, enabled: yes, restartOnChange: 1}\n      g.service: {file: ../etc/passwd}\n"))
                .containsExactly(
                        "profiles/p.yaml:7:7: spec.systemd.units.docker: not a unit name: use e.g. docker.service, backup.timer, build.slice (a type suffix is required)",
                        "profiles/p.yaml:8:29: spec.systemd.units.f.service.dropins.limits: a drop-in name ends in .conf, e.g. 10-limits.conf",
                        "profiles/p.yaml:8:40: spec.systemd.units.f.service.dropins..conf: a drop-in name ends in .conf, e.g. 10-limits.conf",
                        "profiles/p.yaml:8:50: spec.systemd.units.f.service.dropins." + "a".repeat(251) + ".conf: a drop-in name is at most 255 characters",
                        "profiles/p.yaml:8:319: spec.systemd.units.f.service.state: must be one of 'started', 'stopped'; got 'running'",
                        "profiles/p.yaml:8:337: spec.systemd.units.f.service.enabled: must be one of true, false, 'masked'; got 'yes'",
                        "profiles/p.yaml:8:359: spec.systemd.units.f.service.restartOnChange: expected boolean, got integer",
                        "profiles/p.yaml:9:25: spec.systemd.units.g.service.file: must be a path inside the profile repository, relative to its root "
                                + "(no leading '/', no '.' or '..' segment, no NUL or line break)");
    }

    @Test
    void oneLineValuesAndGoNames() {
        assertThat(errors("  sysctl:\n    vm.swappiness: \"1\\nkernel.x = 2\"\n  go:\n    versions: [go1.22.5]\n    checksums: {\"1.22.5\": abc}\n"
                + "    env: {GOENV: /tmp/x, lower: x, GOFLAGS: \"a\\nb\"}\n")).containsExactly(
                "profiles/p.yaml:6:20: spec.sysctl.vm.swappiness: sysctl values must be on one line (no line breaks or NUL)",
                "profiles/p.yaml:8:16: spec.go.versions[0]: not a Go version: write it like 1.22.5 or 1.23rc1, without the 'go' prefix",
                "profiles/p.yaml:9:27: spec.go.checksums.1.22.5: must be a sha256 (64 hex digits)",
                "profiles/p.yaml:10:11: spec.go.env.GOENV: GOENV can only be set in the process environment, not in the env file",
                "profiles/p.yaml:10:26: spec.go.env.lower: not an environment variable name (capital letters, digits and '_')",
                "profiles/p.yaml:10:45: spec.go.env.GOFLAGS: must be on one line (no line breaks)");
    }

    @Test
    void pathsWithADotDotSegmentAreRefusedWhereEditorsSeeThem() {
        String abs = "must be an absolute path (or start with a ${...} variable), without a '.', '..' or empty segment, a NUL or a line break";
        assertThat(errors("  go:\n    versions: [\"1.22.5\"]\n    installDir: /usr/local/../../etc\n"
                + "    mirror: https://alice:s3cr3t@mirror.example.com/golang/\n")).containsExactly(
                "profiles/p.yaml:7:17: spec.go.installDir: must be an absolute path (or start with a ${...} variable) of letters, digits "
                        + "and ._+@-/, without a '.', '..' or empty segment (it is written into a shell script)",
                "profiles/p.yaml:8:13: spec.go.mirror: must be an http(s):// or file:/// URL or an absolute directory (no '.' or '..' segment), "
                        + "on one line, and may not carry credentials (user:password@); profiles are no place for secrets: put them in the root "
                        + "user's ~/.netrc");
        assertThat(errors("  hooks:\n    repos: [\"/home/dev/../../etc/*\", \"/home/**/src\", \"${home}/src/*\"]\n"
                + "    hooks: {pre-commit: {file: \"../x\"}}\n")).containsExactly(
                "profiles/p.yaml:6:13: spec.hooks.repos[0]: must be an absolute glob (or start with a ${...} variable) with one '*' per "
                        + "directory level (no '**'), without a '.', '..' or empty segment, a NUL or a line break",
                "profiles/p.yaml:6:38: spec.hooks.repos[1]: must be an absolute glob (or start with a ${...} variable) with one '*' per "
                        + "directory level (no '**'), without a '.', '..' or empty segment, a NUL or a line break",
                "profiles/p.yaml:7:32: spec.hooks.hooks.pre-commit.file: must be a path inside the profile repository, relative to its root "
                        + "(no leading '/', no '..' segment, no NUL or line break)");
        assertThat(errors("  runner:\n    url: https://github.com/acme/api\n    name: dev-1\n    version: \"2.330.0\"\n    sha256: " + "a".repeat(64)
                + "\n    tokenFile: /etc/../../root/.ssh/id_rsa\n    installDir: /opt//x\n    mirror: /srv/./runner\n")).containsExactly(
                "profiles/p.yaml:10:16: spec.runner.tokenFile: " + abs,
                "profiles/p.yaml:11:17: spec.runner.installDir: " + abs,
                "profiles/p.yaml:12:13: spec.runner.mirror: must be an http(s):// or file:/// URL or an absolute directory (no '.' or '..' "
                        + "segment), on one line");
        assertThat(errors("  go:\n    versions: [\"1.22.5\"]\n    installDir: ${home}/go..x/\n    mirror: https://go.dev/dl/../dl/\n"))
                .as("'..' inside a name, a trailing '/', a URL's own path: not the path rule's").isEmpty();
    }
}
