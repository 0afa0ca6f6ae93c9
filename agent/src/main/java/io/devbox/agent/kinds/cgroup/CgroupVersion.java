package io.devbox.agent.kinds.cgroup;

/** v2: one unified hierarchy; v1: one hierarchy per controller under {@code <cgroupDir>/<controller>}. */
public enum CgroupVersion {
    V1, V2
}
