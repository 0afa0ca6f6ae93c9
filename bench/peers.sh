#!/usr/bin/env bash
# Side-by-side benchmark (issue 7), public tools only:
#   1) `agent plan` vs `ansible-playbook --check` vs `puppet apply --noop` on the SAME 50 writable net.* sysctls,
#      every run in a fresh network namespace (unshare -n) and a private mount namespace whose /etc/sysctl.d is a
#      tmpfs (each tool's persisted file goes there) and whose /etc/sysctl.conf is a private copy: nothing reaches
#      this machine's sysctls or /etc. Two scenarios: "no-op" (the box already as wanted: the namespace's own
#      values, persisted files pre-seeded) and "changes" (every key planned to another value, nothing persisted).
#      The three tools run interleaved (run i of each, then run i+1) so machine load hits them alike.
#   2) `agent plan` for 50, 2,000 and 10,000 resources in a --root sandbox (a fake /proc/sys tree).
#   3) packages: 50 installed Debian packages wanted present, agent plan vs Ansible apt --check vs Puppet package --noop.
# Reports medians (wall time, GNU time), peak RSS, ratios, and Markdown tables for the README.
# Needs root (unshare, mount), git, GNU time, and Debian's peers, which it installs when missing:
#   apt-get install --no-install-recommends ansible puppet-agent puppet-module-duritong-sysctl
# Usage: bench/peers.sh [RUNS]      (default 10; builds the agent first if agent/target has no jar)
#        PEERS=0 / SANDBOX=0 / PACKAGES=0 bench/peers.sh   leave that part out
# shellcheck disable=SC2016 # the sh -c scripts expand their own arguments
set -euo pipefail
runs=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
agent="$top/agent/bin/agent"
[ "$(id -u)" -eq 0 ] || { echo "peers.sh: needs root (unshare -n, private mounts)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "peers.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@example.com GIT_COMMITTER_NAME=bench \
    GIT_COMMITTER_EMAIL=b@example.com LC_ALL=C.UTF-8
work=$(mktemp -d /tmp/devbox-peers.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "work dir (kept): $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

if [ ! -f "$top/agent/target/devbox-agent.jar" ]; then
    (cd "$top" && mvn -B -q package -DskipTests)
fi

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
maxof() { sort -n | tail -n 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# one timed run: in fresh network + mount namespaces, /etc/sysctl.d a tmpfs seeded from SEED (a dir),
# /etc/sysctl.conf a private copy. Appends "seconds kB" to OUT; the tool's output goes to LOG.
# Usage: ns_run SEED OUT LOG command...
ns_run() {
    local seed=$1 out=$2 log=$3; shift 3
    unshare -n -m --propagation private sh -c '
        seed=$1 out=$2 log=$3; shift 3
        mount -t tmpfs devbox-bench /etc/sysctl.d && cp -a "$seed"/. /etc/sysctl.d/ &&
        mount --bind "$BENCH_SYSCTL_CONF" /etc/sysctl.conf || exit 99
        /usr/bin/time -o "$out.one" -f "%e %M" "$@" >"$log" 2>&1
        rc=$?; tail -n 1 "$out.one" >> "$out"; exit $rc' ns_run "$seed" "$out" "$log" "$@"   # GNU time adds a status line on a non-zero exit
}

peers() {
    local missing=()
    command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible)
    command -v puppet >/dev/null 2>&1 || missing+=(puppet-agent)
    dpkg -s puppet-module-duritong-sysctl >/dev/null 2>&1 || missing+=(puppet-module-duritong-sysctl)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]} from Debian" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
    local ver_ansible ver_puppet
    ver_ansible=$(ansible-playbook --version 2>/dev/null | sed -n 1p)
    ver_puppet="puppet $(puppet --version 2>/dev/null)"
    : > "$work/sysctl.conf"; [ -f /etc/sysctl.conf ] && cp /etc/sysctl.conf "$work/sysctl.conf"
    export BENCH_SYSCTL_CONF="$work/sysctl.conf"

    # The keys: as bench/plan-bench.sh picks them (writable net.* of a fresh namespace, no per-interface or neighbour
    # tables), keeping those whose value starts with a number so that "changes" can move every one of them.
    unshare -n sh -c 'cd /proc/sys && for k in $(find net -type f -perm -200 | sort); do printf "%s\t%s\n" "$k" "$(tr "\t" " " < "$k")"; done 2>/dev/null' \
        | grep -v -E '^[^	]*(conf/(all|default|lo)/|neigh/|route/flush|stable_secret)' \
        | awk -F'\t' '$2 ~ /^[0-9]+( [0-9]+)*$/' | sed -n 1,50p > "$work/current"
    [ "$(wc -l < "$work/current")" -eq 50 ] || { echo "fewer than 50 writable numeric net.* keys here" >&2; exit 1; }
    for s in noop changes; do
        local d="$work/$s"
        mkdir -p "$d/repo/profiles" "$d/seed-agent" "$d/seed-ansible" "$d/seed-puppet" "$d/state"
        # dotted key <TAB> wanted value
        if [ "$s" = noop ]; then
            awk -F'\t' '{k=$1; gsub("/", ".", k); print k "\t" $2}' "$work/current" > "$d/values"
        else
            awk -F'\t' '{k=$1; gsub("/", ".", k); n=split($2, f, " "); f[1]=f[1]+1; v=f[1]; for (i=2;i<=n;i++) v=v " " f[i]; print k "\t" v}' \
                "$work/current" > "$d/values"
        fi
        { printf 'apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: bench}\nspec:\n  sysctl:\n'
          awk -F'\t' '{print "    " $1 ": \"" $2 "\""}' "$d/values"; } > "$d/repo/profiles/bench.yaml"
        git -C "$d/repo" init -q -b main && git -C "$d/repo" add -A && git -C "$d/repo" commit -q -m bench
        { printf -- '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.posix.sysctl:\n'
          printf '        name: "{{ item.k }}"\n        value: "{{ item.v }}"\n        sysctl_set: true\n'
          printf '        sysctl_file: /etc/sysctl.d/99-ansible.conf\n      loop:\n'
          awk -F'\t' '{print "        - {k: \"" $1 "\", v: \"" $2 "\"}"}' "$d/values"; } > "$d/play.yml"
        awk -F'\t' '{print "sysctl::value { \"" $1 "\": value => \"" $2 "\", target => \"/etc/sysctl.d/99-puppet.conf\" }"}' \
            "$d/values" > "$d/site.pp"
        if [ "$s" = noop ]; then # persisted as each tool writes it
            awk -F'\t' '{print $1 "=" $2}' "$d/values" > "$d/seed-ansible/99-ansible.conf"
            awk -F'\t' '{v=$2; gsub(" ", "\t", v); print $1 "=" v}' "$d/values" > "$d/seed-puppet/99-puppet.conf"
        fi
        mkdir -p "$d/ansible-home" "$d/puppet"
    done
    agent_cmd() { echo "$agent" plan --repo "$1/repo" --state-dir "$1/state" --hostname bench --no-color --detailed-exitcode; }
    ansible_cmd() {
        echo env ANSIBLE_HOME="$1/ansible-home" ANSIBLE_LOCAL_TEMP="$1/ansible-home/tmp" ANSIBLE_REMOTE_TEMP="$1/ansible-home/tmp" \
            ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
            ansible-playbook -i localhost, -c local --check "$1/play.yml"
    }
    puppet_cmd() {
        echo puppet apply --noop --color=false --vardir "$1/puppet/var" --confdir "$1/puppet/conf" --codedir "$1/puppet/code" \
            --logdir "$1/puppet/log" --rundir "$1/puppet/run" --modulepath /usr/share/puppet/modules "$1/site.pp"
    }
    # no-op: the agent's own persisted file and applied state (an apply of the namespace's own values is a no-op
    # on the kernel side; the file lands in the seed dir through the tmpfs copy below)
    local d="$work/noop"
    unshare -n -m --propagation private sh -c 'mount -t tmpfs devbox-bench /etc/sysctl.d && mount --bind "$3" /etc/sysctl.conf &&
        "$1" apply --yes --repo "$2/repo" --state-dir "$2/state" --hostname bench --no-color >/dev/null && cp -a /etc/sysctl.d/. "$2/seed-agent/"' \
        sh "$agent" "$d" "$BENCH_SYSCTL_CONF"
    # warm-up (page cache, validation cache, puppet/ansible caches) and a check that each tool sees what we expect
    echo "| Scenario | Tool | changes it reports |" > "$work/check.md"
    for s in noop changes; do
        d="$work/$s"
        # shellcheck disable=SC2046
        ns_run "$d/seed-agent" "$work/warm" "$d/agent.log" $(agent_cmd "$d") || true
        # shellcheck disable=SC2046
        ns_run "$d/seed-ansible" "$work/warm" "$d/ansible.log" $(ansible_cmd "$d") || true
        # shellcheck disable=SC2046
        ns_run "$d/seed-puppet" "$work/warm" "$d/puppet.log" $(puppet_cmd "$d") || true
        local ca ci cp
        ca=$(grep -c -E '^  [~+!-] sysctl\[' "$d/agent.log" || true)
        ci=$(grep -c -E '^changed: .*item=' "$d/ansible.log" || true)
        cp=$(grep -c -E "current_value .*\(noop\)" "$d/puppet.log" || true)
        grep -q -E 'failed=0' "$d/ansible.log" || { echo "ansible failed in $s:" >&2; tail -n 20 "$d/ansible.log" >&2; exit 1; }
        grep -v 'Error: Facter: ' "$d/puppet.log" | grep -q -E '^Error' && { echo "puppet failed in $s:" >&2; tail -n 20 "$d/puppet.log" >&2; exit 1; }
        grep -q -E '^Plan: ' "$d/agent.log" || { echo "agent failed in $s:" >&2; tail -n 20 "$d/agent.log" >&2; exit 1; }
        printf '| %s | agent plan | %s resources to change |\n| %s | ansible --check | %s items changed |\n| %s | puppet --noop | %s properties (noop) |\n' \
            "$s" "$ca" "$s" "$ci" "$s" "$cp" >> "$work/check.md"
        if [ "$s" = noop ] && [ "$ca$ci$cp" != 000 ]; then
            echo "the no-op scenario is not a no-op for every tool (agent $ca, ansible $ci, puppet $cp)" >&2; exit 1
        fi
        if [ "$s" = changes ] && { [ "$ca" -ne 50 ] || [ "$ci" -ne 50 ] || [ "$cp" -lt 50 ]; }; then
            echo "the changes scenario does not change all 50 keys (agent $ca, ansible $ci, puppet $cp)" >&2; exit 1
        fi
    done
    local load_before; load_before=$(load)
    for i in $(seq "$runs"); do
        for s in noop changes; do
            d="$work/$s"
            # shellcheck disable=SC2046
            ns_run "$d/seed-agent" "$d/agent.t" /dev/null $(agent_cmd "$d") || true
            # shellcheck disable=SC2046
            ns_run "$d/seed-ansible" "$d/ansible.t" /dev/null $(ansible_cmd "$d") || true
            # shellcheck disable=SC2046
            ns_run "$d/seed-puppet" "$d/puppet.t" /dev/null $(puppet_cmd "$d") || true
        done
        printf '.' >&2
    done
    echo >&2
    {
        echo "50 net.* sysctls, fresh network namespace per run, $runs runs each (interleaved), load average $load_before -> $(load)"
        echo "$ver_ansible; $ver_puppet; agent $("$agent" version 2>/dev/null | head -n 1)"
        echo
        echo "| Scenario | agent plan | ansible-playbook --check | puppet apply --noop | Ansible / agent | Puppet / agent |"
        echo "|---|---:|---:|---:|---:|---:|"
        for s in noop changes; do
            d="$work/$s"
            local a b c
            a=$(cut -d' ' -f1 "$d/agent.t" | median); b=$(cut -d' ' -f1 "$d/ansible.t" | median); c=$(cut -d' ' -f1 "$d/puppet.t" | median)
            printf '| %s | %.2f s (%d MB) | %.2f s (%d MB) | %.2f s (%d MB) | %.1f× | %.1f× |\n' "$s" \
                "$a" "$(($(cut -d' ' -f2 "$d/agent.t" | maxof) / 1024))" "$b" "$(($(cut -d' ' -f2 "$d/ansible.t" | maxof) / 1024))" \
                "$c" "$(($(cut -d' ' -f2 "$d/puppet.t" | maxof) / 1024))" "$(echo "$b / $a" | bc -l)" "$(echo "$c / $a" | bc -l)"
        done
        echo
        echo "Medians of wall time; in parentheses the peak RSS of the largest run. What each tool reported (warm-up run):"
        echo
        cat "$work/check.md"
        echo
    }
}

sandbox() {
    local load_before; load_before=$(load)
    echo "| Resources | agent plan (median) | peak RSS | / plan of 50 |" > "$work/sandbox.md"
    echo "|---:|---:|---:|---:|" >> "$work/sandbox.md"
    local base=""
    for n in 50 2000 10000; do
        local d="$work/sb$n"
        mkdir -p "$d/repo/profiles" "$d/box/etc/sysctl.d"
        for g in $(seq 0 39); do mkdir -p "$d/box/proc/sys/bench/group$g"; done
        { printf 'apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: bench}\nspec:\n  sysctl:\n'
          for i in $(seq "$n"); do
              echo "    bench.group$((i % 40)).key$i: $((i + 1))"
              printf '%s\n' "$i" > "$d/box/proc/sys/bench/group$((i % 40))/key$i"
          done; } > "$d/repo/profiles/bench.yaml"
        git -C "$d/repo" init -q -b main && git -C "$d/repo" add -A && git -C "$d/repo" commit -q -m bench
        local cmd=("$agent" plan --repo "$d/repo" --root "$d/box" --state-dir "$d/state" --hostname bench --no-color)
        "${cmd[@]}" > "$d/out" 2>&1 || true # warm-up: validation cache, page cache
        grep -q "^Plan: 0 to add, $n to change" "$d/out" || { echo "sandbox plan of $n is not what it should be:" >&2; tail -n 5 "$d/out" >&2; exit 1; }
        : > "$d/t"
        for _ in $(seq "$runs"); do
            /usr/bin/time -o "$d/t1" -f '%e %M' "${cmd[@]}" >/dev/null 2>&1 || true
            tail -n 1 "$d/t1" >> "$d/t"
        done
        local t r
        t=$(cut -d' ' -f1 "$d/t" | median); r=$(cut -d' ' -f2 "$d/t" | maxof)
        [ -n "$base" ] || base=$t
        printf '| %d | %.2f s | %d MB | %.2f× |\n' "$n" "$t" "$((r / 1024))" "$(echo "$t / $base" | bc -l)" >> "$work/sandbox.md"
    done
    echo "agent plan in a --root sandbox (fake /proc/sys tree), $runs runs each, load average $load_before -> $(load)"
    echo
    cat "$work/sandbox.md"
    echo
}

# 3) packages: `agent plan` vs Ansible's apt module (`--check`) vs Puppet's package type (`--noop`) over the same 50
#    Debian packages already installed on this machine (a no-op for all three: read-only, nothing installed or removed).
packages() {
    local missing=()
    command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible)
    command -v puppet >/dev/null 2>&1 || missing+=(puppet-agent)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]} from Debian" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
    local d="$work/packages"
    mkdir -p "$d/repo/profiles" "$d/state" "$d/ansible-home" "$d/puppet"
    # 50 installed, not held, native or arch-independent packages, the same list for every tool
    dpkg-query -W -f='${db:Status-Abbrev}\t${Architecture}\t${Package}\n' \
        | awk -F'\t' -v a="$(dpkg --print-architecture)" '$1 == "ii " && ($2 == a || $2 == "all") {print $3}' \
        | sort | awk 'NR % 7 == 1' | sed -n 1,50p > "$d/names"
    [ "$(wc -l < "$d/names")" -eq 50 ] || { echo "fewer than 50 installed packages here" >&2; exit 1; }
    { printf 'apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: bench}\nspec:\n  packages:\n    apt:\n'
      awk '{print "      " $1 ": present"}' "$d/names"; } > "$d/repo/profiles/bench.yaml"
    git -C "$d/repo" init -q -b main && git -C "$d/repo" add -A && git -C "$d/repo" commit -q -m bench
    { printf -- '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.apt:\n        state: present\n        name:\n'
      awk '{print "          - " $1}' "$d/names"; } > "$d/play.yml"
    { printf 'package { ['; awk '{printf "%s\"%s\"", (NR > 1 ? ", " : ""), $1}' "$d/names"; printf ']: ensure => installed }\n'; } > "$d/site.pp"
    local agent_cmd=("$agent" plan --repo "$d/repo" --state-dir "$d/state" --hostname bench --no-color --detailed-exitcode)
    # shellcheck disable=SC2054 # "localhost," (with the comma) is an inline inventory
    local ansible_cmd=(env ANSIBLE_HOME="$d/ansible-home" ANSIBLE_LOCAL_TEMP="$d/ansible-home/tmp" ANSIBLE_NOCOLOR=1
        ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ansible-playbook -i localhost, -c local --check "$d/play.yml")
    local puppet_cmd=(puppet apply --noop --color=false --vardir "$d/puppet/var" --confdir "$d/puppet/conf" --codedir "$d/puppet/code"
        --logdir "$d/puppet/log" --rundir "$d/puppet/run" "$d/site.pp")
    # warm-up, and proof that each tool sees a no-op
    "${agent_cmd[@]}" > "$d/agent.log" 2>&1 || { echo "agent plan is not a no-op:" >&2; tail -n 20 "$d/agent.log" >&2; exit 1; }
    grep -q '^Plan: 0 to add, 0 to change, 0 to remove, 50 unchanged' "$d/agent.log" || { tail -n 5 "$d/agent.log" >&2; exit 1; }
    "${ansible_cmd[@]}" > "$d/ansible.log" 2>&1 || true
    grep -q -E 'ok=1 +changed=0 .*failed=0' "$d/ansible.log" || { echo "ansible is not a no-op:" >&2; tail -n 20 "$d/ansible.log" >&2; exit 1; }
    "${puppet_cmd[@]}" > "$d/puppet.log" 2>&1 || true
    if grep -v 'Error: Facter: ' "$d/puppet.log" | grep -q -E '^Error|\(noop\)'; then
        echo "puppet is not a no-op:" >&2; tail -n 20 "$d/puppet.log" >&2; exit 1
    fi
    local load_before; load_before=$(load)
    : > "$d/agent.t"; : > "$d/ansible.t"; : > "$d/puppet.t"
    for _ in $(seq "$runs"); do
        /usr/bin/time -o "$d/t1" -f '%e %M' "${agent_cmd[@]}" >/dev/null 2>&1 || true; tail -n 1 "$d/t1" >> "$d/agent.t"
        /usr/bin/time -o "$d/t1" -f '%e %M' "${ansible_cmd[@]}" >/dev/null 2>&1 || true; tail -n 1 "$d/t1" >> "$d/ansible.t"
        /usr/bin/time -o "$d/t1" -f '%e %M' "${puppet_cmd[@]}" >/dev/null 2>&1 || true; tail -n 1 "$d/t1" >> "$d/puppet.t"
        printf '.' >&2
    done
    echo >&2
    local a b c
    a=$(cut -d' ' -f1 "$d/agent.t" | median); b=$(cut -d' ' -f1 "$d/ansible.t" | median); c=$(cut -d' ' -f1 "$d/puppet.t" | median)
    echo "50 installed Debian packages wanted present (a no-op for every tool), $runs runs each (interleaved), load average $load_before -> $(load)"
    echo "$(ansible-playbook --version 2>/dev/null | sed -n 1p); puppet $(puppet --version 2>/dev/null); agent $("$agent" version 2>/dev/null | head -n 1)"
    echo
    echo "| Scenario | agent plan | ansible-playbook --check (apt) | puppet apply --noop (package) | Ansible / agent | Puppet / agent |"
    echo "|---|---:|---:|---:|---:|---:|"
    printf '| packages no-op | %.2f s (%d MB) | %.2f s (%d MB) | %.2f s (%d MB) | %.1f× | %.1f× |\n' \
        "$a" "$(($(cut -d' ' -f2 "$d/agent.t" | maxof) / 1024))" "$b" "$(($(cut -d' ' -f2 "$d/ansible.t" | maxof) / 1024))" \
        "$c" "$(($(cut -d' ' -f2 "$d/puppet.t" | maxof) / 1024))" "$(echo "$b / $a" | bc -l)" "$(echo "$c / $a" | bc -l)"
    echo
}

echo "$(nproc) cores, $(uname -r), $(java -version 2>&1 | head -n 1)"
echo
[ "${PEERS:-1}" = 0 ] || peers
[ "${SANDBOX:-1}" = 0 ] || sandbox
[ "${PACKAGES:-1}" = 0 ] || packages
