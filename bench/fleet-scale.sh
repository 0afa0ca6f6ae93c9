#!/usr/bin/env bash
# Growth of a fleet on one git server (not in CI): the server-side cost of one no-op fetch of the profile branch and
# of one report push, at 100, 1,000 and 10,000 hosts, with the reports on the 256 shard refs and, for comparison, on
# one ref per box as agents before the shards wrote them. Each connection is served by its own
# `git daemon --inetd` behind a byte-counting loopback proxy (bench/CountingProxy.java); its CPU time (upload-pack or
# receive-pack included) is the server CPU. Prints a Markdown table; every cell is the mean of RUNS repetitions:
# bytes the box sent / received, server CPU, and connections per operation.
#   push: a box that pushed before pushes again after another box of its shard moved the shard;
#   first push: a new box (empty cache) pushes its first report.
# Usage: bench/fleet-scale.sh [RUNS=5] [HOSTS...=100 1000 10000]     (needs git, python3, a JDK; builds the agent if needed)
set -euo pipefail
runs=${1:-5}; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
jar="$top/agent/target/devbox-agent.jar"
[ -f "$jar" ] || (cd "$top" && mvn -B -q package -DskipTests)
work=$(mktemp -d /tmp/devbox-fleet-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1
javac -nowarn -cp "$jar" -d "$work/classes" "$here/CountingProxy.java" "$here/FleetScale.java"
echo "git $(git --version | cut -d' ' -f3), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; $runs runs per cell"
echo
echo "| Hosts | Report refs | Refs on the server | No-op fetch: sent / received, server CPU | Report push | First push of a new box |"
echo "|---:|---|---:|---|---|---|"
for n in "${sizes[@]}"; do
    for layout in shards legacy; do
        rm -rf "$work/run"; mkdir -p "$work/run"
        java -XX:+UseSerialGC -cp "$jar:$work/classes" FleetScale "$work/run" "$n" "$runs" "$layout"
    done
done
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
