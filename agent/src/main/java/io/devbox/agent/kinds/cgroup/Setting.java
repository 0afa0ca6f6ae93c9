package io.devbox.agent.kinds.cgroup;

/** One limit a profile can set on a cgroup, named as in the profile ({@code memory.max}) and in cgroup v2. */
public enum Setting {
    MEMORY_MAX("memory", "max", "memory", "memory.max", "MemoryMax"),
    MEMORY_HIGH("memory", "high", "memory", "memory.high", "MemoryHigh"),
    MEMORY_SWAP_MAX("memory", "swapMax", "memory", "memory.swap.max", "MemorySwapMax"),
    CPU_MAX("cpu", "max", "cpu", "cpu.max", "CPUQuota"),
    CPU_WEIGHT("cpu", "weight", "cpu", "cpu.weight", "CPUWeight"),
    IO_WEIGHT("io", "weight", "io", "io.weight", "IOWeight"),
    PIDS_MAX("pids", "max", "pids", "pids.max", "TasksMax");

    private final String group;
    private final String key;
    private final String v2Controller;
    private final String v2File;
    private final String systemdProperty;

    Setting(String group, String key, String v2Controller, String v2File, String systemdProperty) {
        this.group = group;
        this.key = key;
        this.v2Controller = v2Controller;
        this.v2File = v2File;
        this.systemdProperty = systemdProperty;
    }

    /** The profile's group key ({@code memory}, {@code cpu}, {@code io}, {@code pids}). */
    public String group() {
        return group;
    }

    /** The key inside the group ({@code max}, {@code high}, {@code swapMax}, {@code weight}). */
    public String key() {
        return key;
    }

    /** {@code memory.swapMax} as written in a profile. */
    public String profileName() {
        return group + "." + key;
    }

    public String v2Controller() {
        return v2Controller;
    }

    public String v2File() {
        return v2File;
    }

    public String systemdProperty() {
        return systemdProperty;
    }

    public static Setting of(String group, String key) {
        for (Setting s : values()) {
            if (s.group.equals(group) && s.key.equals(key)) return s;
        }
        return null;
    }
}
