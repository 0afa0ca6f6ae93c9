package io.devbox.agent.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small box for --root: kernel parameters, a cgroup v2 tree, /etc with a developer user, a home with a repository. */
final class Sandbox {
    private Sandbox() {
    }

    static Path box(Path root) throws IOException {
        write(root.resolve("proc/sys/vm/swappiness"), "60\n");
        write(root.resolve("proc/sys/net/core/somaxconn"), "4096\n");
        write(root.resolve("sys/fs/cgroup/cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        write(root.resolve("sys/fs/cgroup/cgroup.subtree_control"), "cpu memory\n");
        write(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000:Dev:/home/dev:/bin/bash\n");
        write(root.resolve("etc/wsl.conf"), "[boot]\nsystemd=true\n");
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createDirectories(root.resolve("home/dev/src"));
        return root;
    }

    static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
