#!/usr/bin/env bash
# What the privilege boundary costs: median wall time of `agent plan` and `agent apply` (whole process) for the hooks
# kind over N repositories of a developer who owns their home (a real account made here, removed at exit), in a --root
# sandbox. Since issue 12 git runs against each repository as its owner (setpriv) and every hook file is read and
# written relative to directory handles; JAR=/other/devbox-agent.jar measures another build the same way.
# Needs root, useradd, setpriv, git, bc. Build first: mvn -B -q package -DskipTests
# Usage: bench/user-trees.sh [REPOS] [RUNS]   (default 20 repositories, 7 runs)
set -euo pipefail
repos=${1:-20}
runs=${2:-7}
here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/../agent/target/devbox-agent.jar}
work=$(mktemp -d)
user="dvbxb$$"
cleanup() { pkill -KILL -u "$user" 2>/dev/null || true; userdel "$user" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=b@example.com

useradd --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group "$user"
uid=$(id -u "$user"); gid=$(id -g "$user")
box="$work/box"
mkdir -p "$box/etc" "$box/home/$user/src"
chmod 755 "$work" "$box" "$box/home"
echo "$user:x:$uid:$gid::/home/$user:/bin/sh" > "$box/etc/passwd"
chown -R "$uid:$gid" "$box/home/$user"
as_user() { setpriv --reuid="$uid" --regid="$gid" --init-groups --no-new-privs -- "$@"; }
for i in $(seq "$repos"); do as_user git init -q "$box/home/$user/src/repo-$i"; done

fleet="$work/fleet"
mkdir -p "$fleet/profiles"
printf 'apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: hooks}\nspec:\n  hooks:\n    repos: ["${home}/src/*"]\n    hooks:\n      pre-commit: {content: "#!/bin/sh\\nexit 0\\n"}\n' \
    > "$fleet/profiles/hooks.yaml"
git -C "$fleet" init -q -b main && git -C "$fleet" add -A && git -C "$fleet" commit -q -m bench

agent() {
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" "$@" --repo "$fleet" --root "$box" --state-dir "$box/var/lib/devbox-agent" \
        --user "$user" --hostname bench-1 --no-color
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # label, command... (a function of this script: wall time measured around it, untimed setup excluded)
    local label=$1; shift
    local times=()
    for _ in $(seq "$runs"); do
        [ "$1" = agent_apply ] && uninstall
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc -l)")
    done
    printf '%-40s median %6.3f s  (%d runs)\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" "$runs"
}

uninstall() { # puts the repositories back as they were (no managed hook), so that every apply has work to do
    for i in $(seq "$repos"); do rm -f "$box/home/$user/src/repo-$i/.git/hooks/pre-commit" "$box/home/$user/src/repo-$i/.git/hooks/pre-commit.devbox-agent"; done
}

agent plan >/dev/null 2>&1 || true # warm-up: validation cache, page cache
measure "plan, $repos repositories (changes)" agent plan
agent_apply() { agent apply --yes; }
measure "apply, $repos repositories" agent_apply
measure "plan, $repos repositories (no-op)" agent plan
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
