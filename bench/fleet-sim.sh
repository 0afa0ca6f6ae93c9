#!/usr/bin/env bash
# Fleet simulation: N `agent watch` daemons (separate state dirs, --root sandboxes, fake sysctl trees) against one
# git daemon on loopback, each fetching every INTERVAL seconds. Once every agent has converged on the first commit,
# the script measures DURATION seconds: git daemon CPU while nothing changes, then a commit changes a value and it
# reports commit-to-converged latency (p50, p99) across the agents, polling their sysctl files every 50 ms.
# Fetch bytes of a no-op fetch: bench/NoopFetch.java.
# Usage: bench/fleet-sim.sh [N=100] [INTERVAL=1] [DURATION=60]     (needs git and a built agent/target jar)
set -euo pipefail
N=${1:-100}; INTERVAL=${2:-1}; DURATION=${3:-60}
here=$(cd "$(dirname "$0")" && pwd)
agent="$here/../agent/bin/agent"
work=$(mktemp -d /tmp/devbox-fleet-sim.XXXXXX)
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=sim GIT_AUTHOR_EMAIL=sim@example.com GIT_COMMITTER_NAME=sim GIT_COMMITTER_EMAIL=sim@example.com
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

git init -q -b main "$work/w"
mkdir -p "$work/w/profiles" "$work/srv"
write_profile() { printf 'apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: base}\nspec:\n  sysctl:\n    net.core.somaxconn: %s\n' "$1" > "$work/w/profiles/base.yaml"; }
write_profile 1024; git -C "$work/w" add -A; git -C "$work/w" commit -qm first
git clone -q --bare "$work/w" "$work/srv/fleet.git"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
git daemon --export-all --reuseaddr --base-path="$work/srv" --listen=127.0.0.1 --port="$port" --enable=receive-pack "$work/srv" &
daemon=$!; pids+=("$daemon")
until git ls-remote "git://127.0.0.1:$port/fleet.git" >/dev/null 2>&1; do sleep 0.1; done
url="git://127.0.0.1:$port/fleet.git"
cpu() { awk '{print $14+$15+$16+$17}' "/proc/$daemon/stat"; }   # clock ticks, incl. reaped upload-pack children
tck=$(getconf CLK_TCK)

for i in $(seq 1 "$N"); do
    mkdir -p "$work/a$i/sys/net/core"; echo 128 > "$work/a$i/sys/net/core/somaxconn"
    "$agent" watch --interval "${INTERVAL}s" --drift-interval 1h --repo "$url" --state-dir "$work/a$i/state" \
        --root "$work/a$i/root" --sysctl-dir "$work/a$i/sys" --hostname "sim-$i" --no-color >"$work/a$i/log" 2>&1 &
    pids+=("$!")
done
value_of() { cat "$work/a$1/sys/net/core/somaxconn"; }
t_start=$(date +%s)
for i in $(seq 1 "$N"); do
    until [ "$(value_of "$i")" = 1024 ]; do sleep 0.2; done
done
echo "all $N agents converged on the first commit after $(( $(date +%s) - t_start )) s (JVM start-up on $(nproc) cores)" >&2

cpu_idle0=$(cpu); sleep "$DURATION"; cpu_idle1=$(cpu)
write_profile 4096; git -C "$work/w" commit -qam second
pushed=$(date +%s.%N)
git -C "$work/w" push -q "$work/srv/fleet.git" main
python3 - "$work" "$N" "$pushed" <<'PY' > "$work/latencies"
import sys, time
work, n, pushed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
left = set(range(1, n + 1))
deadline = time.time() + 600
while left and time.time() < deadline:
    for i in list(left):
        try:
            if open(f"{work}/a{i}/sys/net/core/somaxconn").read().strip() == "4096":
                print(time.time() - pushed); left.discard(i)
        except OSError:
            pass
    time.sleep(0.05)
PY
cpu_end=$(cpu)

python3 - "$work" "$N" "$cpu_idle0" "$cpu_idle1" "$cpu_end" "$tck" "$DURATION" "$INTERVAL" <<'PY'
import sys
work, n, c0, c1, c2, tck, dur, interval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
lat = sorted(float(l) for l in open(f"{work}/latencies"))
pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
print(f"agents {n}, interval {interval} s; converged after the push: {len(lat)}/{n}")
print(f"commit-to-converged latency: p50 {pct(0.5):.1f} s, p99 {pct(0.99):.1f} s, max {lat[-1] if lat else float('nan'):.1f} s")
print(f"git daemon CPU while nothing changed: {(c1 - c0) / tck:.2f} s over {dur} s ({100.0 * (c1 - c0) / tck / dur:.1f}% of one core)")
print(f"git daemon CPU from the push to the last agent converged: {(c2 - c1) / tck:.2f} s")
PY
