#!/usr/bin/env bash
# Fleet simulation: N agents (separate state dirs, --root sandboxes, fake sysctl trees) against one git daemon on
# loopback, each converging every INTERVAL seconds for DURATION seconds. Halfway, a commit changes a value; the
# script reports git daemon CPU, the number of runs, and commit-to-converged latency (p50, p99) across the agents.
# `agent watch` is not on this branch: each agent is a loop of `agent apply --yes` (one JVM per run), so on a small
# machine the agents' own CPU, not git, dominates the latency. Fetch bytes of a no-op fetch: bench/NoopFetch.java.
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

end=$(( $(date +%s) + DURATION ))
for i in $(seq 1 "$N"); do
    mkdir -p "$work/a$i/sys/net/core"; echo 128 > "$work/a$i/sys/net/core/somaxconn"
    (
        while [ "$(date +%s)" -lt "$end" ]; do
            t0=$(date +%s.%N)
            "$agent" apply --yes --repo "$url" --state-dir "$work/a$i/state" --root "$work/a$i/root" \
                --sysctl-dir "$work/a$i/sys" --hostname "sim-$i" --no-color >/dev/null 2>&1 || true
            echo "$(date +%s.%N) $(cat "$work/a$i/sys/net/core/somaxconn")" >> "$work/a$i/log"
            sleep "$(python3 -c "import time;print(max(0.0, $INTERVAL - (time.time() - $t0)))")"
        done
    ) &
    pids+=("$!")
done

sleep $(( DURATION / 2 ))
cpu_mid=$(cpu)
write_profile 4096; git -C "$work/w" commit -qam second
pushed=$(date +%s.%N)
git -C "$work/w" push -q "$work/srv/fleet.git" main
for p in "${pids[@]:1}"; do wait "$p" || true; done
cpu_end=$(cpu)

python3 - "$work" "$N" "$pushed" "$cpu_mid" "$cpu_end" "$tck" "$DURATION" <<'PY'
import sys, glob
work, n, pushed, c0, c1, tck, dur = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
lat, runs, missing = [], 0, 0
for i in range(1, n + 1):
    try: lines = [l.split() for l in open(f"{work}/a{i}/log")]
    except FileNotFoundError: lines = []
    runs += len(lines)
    t = next((float(ts) for ts, v in lines if float(ts) > pushed and v == "4096"), None)
    if t is None: missing += 1
    else: lat.append(t - pushed)
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
print(f"agents {n}, runs {runs} in {dur} s; converged after the push: {len(lat)}/{n}")
print(f"commit-to-converged latency: p50 {pct(0.5):.1f} s, p99 {pct(0.99):.1f} s")
print(f"git daemon CPU over the second half ({dur // 2} s + drain): {(c1 - c0) / tck:.2f} s")
PY
