package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.profile.Origin;

/**
 * One desired limit, parsed. {@code value} is {@link #MAX} for "no limit"; otherwise bytes (memory), microseconds of
 * CPU time per {@link Conversions#CPU_PERIOD_US} (cpu.max), a v2 weight (cpu.weight, io.weight) or a task count.
 */
public record Wanted(Setting setting, long value, String text, Origin origin) {
    public static final long MAX = -1;

    public boolean isMax() {
        return value == MAX;
    }
}
