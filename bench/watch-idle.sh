#!/bin/sh
# Idle cost of `agent watch`: runs the daemon with a 60 s interval on the bundled profiles (this repository's
# profiles/, committed to a temp git repository; as hostname dev-42 with label team=backend) against a sandboxed box for DURATION seconds
# (default 300), then reports its peak and final RSS (VmHWM, VmRSS from /proc/PID/status) and its CPU time over the
# idle part, as a share of one core: the scheduler's own count (the sum of /proc/PID/task/*/schedstat, nanoseconds) and,
# for comparison, utime+stime from /proc/PID/stat (clock ticks: a thread that wakes on a timer tick is charged the
# whole tick, so the JVM's many short periodic wake-ups are overcounted there).
# Targets (issues 3 and 18): RSS <= 64 MB, CPU <= 0.1% of one core at a 60 s interval.
# Usage: bench/watch-idle.sh [DURATION_SECONDS]   (build first: mvn -B -q package -DskipTests)
# WARM=1: run `agent plan` first, as on a box the agent already manages (profile validation cached).
# Extra JVM flags for an experiment: DEVBOX_AGENT_JAVA_OPTS='-Xmx32m' bench/watch-idle.sh
# MODE='--mode report': the daemon only plans (default: apply).
set -eu
duration=${1:-300}
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/.." && pwd)
agent="$project/agent/bin/agent"
work=$(mktemp -d "${TMPDIR:-/tmp}/devbox-watch-idle.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# a sandboxed box: /etc under --root, a fake /proc/sys with today's values of the keys the profiles set
mkdir -p "$work/root/etc/sysctl.d" "$work/sys"
for key in fs/inotify/max_user_watches fs/inotify/max_user_instances vm/max_map_count vm/swappiness \
           net/core/somaxconn net/ipv4/ip_local_port_range net/ipv4/tcp_keepalive_time \
           net/ipv4/tcp_max_syn_backlog net/ipv4/tcp_fin_timeout net/ipv4/tcp_tw_reuse fs/file-max; do
    mkdir -p "$work/sys/$(dirname "$key")"
    cat "/proc/sys/$key" > "$work/sys/$key"
done
printf 'bench-boot-id\n' > "$work/boot_id"
# the bundled profiles and the hook files they install, committed to a fresh git repository (as a team's fleet
# repository would be)
mkdir -p "$work/fleet"
cp -R "$project/profiles" "$project/hooks" "$work/fleet/"   # hooks/: files the profiles install
git -C "$work/fleet" -c init.defaultBranch=main init -q
git -C "$work/fleet" add -A
GIT_CONFIG_NOSYSTEM=1 git -C "$work/fleet" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false \
    commit -q -m "bundled profiles"

if [ "${WARM:-0}" = 1 ]; then
    # a daemon restarted on a box the agent already manages: the profiles' validation is cached in the state dir
    "$agent" plan --repo "$work/fleet" --root "$work/root" --sysctl-dir "$work/sys" --state-dir "$work/state" \
        --hostname dev-42 --label team=backend > "$work/plan.log" 2>&1 \
        || { echo "the warm-up plan failed (a key the profiles set is missing from the fake /proc/sys?):" >&2; cat "$work/plan.log" >&2; exit 1; }
fi
"$agent" watch ${MODE:-} --interval 60s --drift-interval 5m --repo "$work/fleet" --root "$work/root" --sysctl-dir "$work/sys" \
    --state-dir "$work/state" --hostname dev-42 --label team=backend --boot-id-file "$work/boot_id" \
    > "$work/watch.log" 2>&1 &
pid=$!
# the launcher execs java: $pid is the JVM. Wait for the first cycle, then measure from there.
i=0
until grep -q 'cycle (start)' "$work/watch.log" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then echo "watch did not start:" >&2; cat "$work/watch.log" >&2; exit 1; fi
    sleep 0.1
done
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# threads that ended are missing from this sum; the daemon's threads live as long as it does
runtime_ns() { cat /proc/"$pid"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d", s}'; }
status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }
start_ticks=$(ticks)
start_run=$(runtime_ns)
start_rss=$(status VmRSS)
start_ns=$(date +%s%N)
sleep "$duration"
end_ticks=$(ticks)
end_run=$(runtime_ns)
end_ns=$(date +%s%N)
hwm=$(status VmHWM)
rss=$(status VmRSS)
threads=$(status Threads)
cycles=$(grep -c 'cycle (' "$work/watch.log" || true)
awk -v t0="$start_ticks" -v t1="$end_ticks" -v hz="$hz" -v n0="$start_ns" -v n1="$end_ns" -v r0="$start_run" -v r1="$end_run" \
    -v hwm="$hwm" -v rss="$rss" -v rss0="$start_rss" -v threads="$threads" -v cycles="$cycles" 'BEGIN {
    wall = (n1 - n0) / 1e9; cpu = (t1 - t0) / hz; run = (r1 - r0) / 1e9
    printf "idle watch over %.0f s (interval 60s, drift interval 5m, %d cycles in all)\n", wall, cycles
    printf "  RSS    peak (VmHWM) %.1f MB, after the first cycle %.1f MB, at the end %.1f MB  (target <= 64 MB)\n", hwm/1024, rss0/1024, rss/1024
    printf "  CPU    %.3f s = %.3f%% of one core (schedstat)  (target <= 0.1%%)\n", run, 100 * run / wall
    printf "         %.2f s = %.3f%% of one core (utime+stime, clock ticks)\n", cpu, 100 * cpu / wall
    printf "  threads %d\n", threads
}'
