#!/usr/bin/env bash
# Whole-process benchmark of `agent plan` (issue 2): median wall time and peak RSS over RUNS runs of
#   A) 50 real net.* sysctls in a private network namespace (unshare -n, held open), persisted file in a sandbox;
#      A' the same after an apply (no-op plan); A0 with a fresh namespace for every run;
#   B) 2,000 sysctls in a --root sandbox (a fake /proc/sys tree), run interleaved with 50 in the same kind of sandbox;
#   V) `agent version` (the JVM and picocli, nothing else), under the same nsenter as A and run interleaved with it so
#      that the machine's load hits both alike: the ratio A / V is the plan's own cost over the fixed start-up
#      (target, issue 18: <= 1.5).
# Needs root (unshare), git, GNU time. Build first: mvn -B -q package -DskipTests
# Usage: bench/plan-bench.sh [RUNS]   (default 15)
set -euo pipefail
runs=${1:-15}
here=$(cd "$(dirname "$0")" && pwd)
agent="$here/../agent/bin/agent"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=b@example.com

make_repo() { # dir, then "key: value" lines on stdin
    mkdir -p "$1/profiles"
    { printf 'apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: bench}\nspec:\n  sysctl:\n'; sed 's/^/    /'; } > "$1/profiles/bench.yaml"
    git -C "$1" init -q -b main && git -C "$1" add -A && git -C "$1" commit -q -m bench
}

# run_timed FILE CMD...: one line "wall RSS user sys" appended to FILE; the wall time from the shell's microsecond
# clock (GNU time's %e has 10 ms steps, too coarse for a ratio near 2), RSS and CPU from GNU time
run_timed() {
    local file=$1; shift
    local t0=$EPOCHREALTIME
    /usr/bin/time -o "$work/time" -f '%M %U %S' "$@" >/dev/null 2>&1 || true
    local t1=$EPOCHREALTIME
    echo "$(echo "${t1//[.,]/} - ${t0//[.,]/}" | bc | awk '{printf "%.4f", $1 / 1000000}') $(tail -n 1 "$work/time")" >> "$file"
}

med() { cut -d' ' -f1 "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rss() { cut -d' ' -f2 "$1" | sort -n | tail -n 1; }
cpu() { awk '{print $3 + $4}' "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }   # user + system, all threads
report() { # label, a file of run_timed lines
    printf '%-44s median %6.3f s   peak RSS %6.1f MB   (%d runs)\n' "$1" "$(med "$2")" "$(echo "$(rss "$2")/1024" | bc -l)" \
        "$runs" >&2
}

measure() { # name, label, then the command: a warm-up run (validation cache, page cache), then RUNS timed runs
    local file="$work/$1.t" label=$2; shift 2
    "$@" >/dev/null 2>&1 || true
    : > "$file"
    for _ in $(seq "$runs"); do run_timed "$file" "$@"; done
    report "$label" "$file"
}

# A) the 50 writable net.* keys of a fresh network namespace, each planned to a new value
unshare -n sh -c 'cd /proc/sys && find net -type f -perm -200 | sort' > "$work/all-keys"
grep -v -E 'conf/(all|default|lo)/|neigh/|route/flush|stable_secret' "$work/all-keys" | sed -n 1,50p > "$work/keys"
[ "$(wc -l < "$work/keys")" -eq 50 ] || { echo "fewer than 50 writable net.* keys here" >&2; exit 1; }
while read -r k; do
    v=$(unshare -n cat "/proc/sys/$k" | tr -s ' \t' '  ')
    case "$v" in
        ''|*[!0-9\ ]*) v=1 ;;           # text values: planned to 1
        *' '*) v="\"$v\"" ;;           # several fields (ip_local_port_range): kept whole
        0) v=1 ;;
    esac
    echo "$(echo "$k" | tr / .): $v"
done < "$work/keys" | make_repo "$work/net"
mkdir -p "$work/net-box/etc/sysctl.d" "$work/net-box2/etc/sysctl.d"
# Two network namespaces held open by sleepers: A plans in one whose values differ from the profile (every run a plan
# with changes; plan changes nothing), A' in one where the profile was applied first (the no-op plan).
unshare -n sleep 3600 & holder_a=$!
unshare -n sleep 3600 & holder_b=$!
trap 'kill "$holder_a" "$holder_b" 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.2
# A and V interleaved (run i of each, then run i+1): the ratio of their medians is measured under the same load
plan_a=(nsenter -t "$holder_a" -n "$agent" plan --repo "$work/net" --root "$work/net-box" --sysctl-dir /proc/sys
    --state-dir "$work/state-a" --hostname bench)
# V under the same nsenter as A: entering the namespace (≈ 3 ms, a fork and exec more) is the benchmark's, not the plan's
version_v=(nsenter -t "$holder_a" -n "$agent" version)
"${plan_a[@]}" >/dev/null 2>&1 || true; "${version_v[@]}" >/dev/null 2>&1   # warm-up
: > "$work/a.t"; : > "$work/v.t"
for _ in $(seq "$runs"); do
    run_timed "$work/v.t" "${version_v[@]}"
    run_timed "$work/a.t" "${plan_a[@]}"
done
a=$(med "$work/a.t"); v=$(med "$work/v.t")
report "A  plan, 50 real net.* sysctls (netns)" "$work/a.t"
report "V  agent version (interleaved with A)" "$work/v.t"
nsenter -t "$holder_b" -n "$agent" apply --yes --repo "$work/net" --root "$work/net-box2" --sysctl-dir /proc/sys \
    --state-dir "$work/state-a2" --hostname bench >/dev/null
measure a-noop "A' same keys, no-op plan after apply" nsenter -t "$holder_b" -n "$agent" plan --repo "$work/net" \
    --root "$work/net-box2" --sysctl-dir /proc/sys --state-dir "$work/state-a2" --hostname bench
# For comparison: a fresh namespace per run (unshare -n around the agent): the kernel sets up and tears down a
# network namespace each time, work that lands on the same two cores.
measure a-fresh "A0 as A, a fresh unshare -n per run" unshare -n "$agent" plan --repo "$work/net" --root "$work/net-box" \
    --sysctl-dir /proc/sys --state-dir "$work/state-a0" --hostname bench

# B) 2,000 sysctls in a sandbox, and 50 in the same sandbox for the ratio
gen() { # n
    for i in $(seq "$1"); do echo "bench.group$((i % 40)).key$i: $((i + 1))"; done
}
for n in 50 2000; do
    gen "$n" | make_repo "$work/sb$n"
    for i in $(seq "$n"); do
        f="$work/box$n/proc/sys/bench/group$((i % 40))/key$i"; mkdir -p "${f%/*}"; printf '%s\n' "$i" > "$f"
    done
done
# interleaved like A and V (run i of each, then run i+1): the ratio 2000/50 is measured under the same load
for n in 50 2000; do   # warm-up
    "$agent" plan --repo "$work/sb$n" --root "$work/box$n" --state-dir "$work/state-b$n" --hostname bench >/dev/null 2>&1 || true
    : > "$work/b$n.t"
done
for _ in $(seq "$runs"); do
    for n in 50 2000; do
        run_timed "$work/b$n.t" "$agent" plan --repo "$work/sb$n" --root "$work/box$n" --state-dir "$work/state-b$n" \
            --hostname bench
    done
done
b50=$(med "$work/b50.t"); b2k=$(med "$work/b2000.t")
report "B  plan, 50 sysctls, --root sandbox" "$work/b50.t"
report "B  plan, 2000 sysctls, --root sandbox" "$work/b2000.t"
printf 'ratio 2000/50: %.2f   (target < 2)\n' "$(echo "$b2k / $b50" | bc -l)"
printf 'A median: %.3f s   (target <= 0.5 s)\n' "$a"
printf 'ratio A / agent version: %.2f   (target <= 1.5; load average %s)\n' "$(echo "$a / $v" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time (all threads) of the same runs: what the work costs, less dependent on what else the machine runs
printf 'CPU A / agent version: %.2f   (medians %s s / %s s)\n' "$(echo "$(cpu "$work/a.t") / $(cpu "$work/v.t")" | bc -l)" "$(cpu "$work/a.t")" "$(cpu "$work/v.t")"
