#!/usr/bin/env bash
# Team pre-commit checks, installed into every repository under ~/src by devbox-agent (profiles/go-team.yaml).
# Checks what is staged, not the working tree. A missing tool is skipped with a message, never a failure:
# the agent's go profile installs Go, the tools themselves come with `go install` or the distribution.
#   - gofumpt: staged *.go files must be gofumpt-formatted
#   - golangci-lint: no NEW issues compared with HEAD (existing ones do not block a commit)
#   - ShellCheck: staged shell scripts (*.sh, *.bash)
set -u

failed=0
say() { printf 'pre-commit: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

go_files=()
sh_files=()
while IFS= read -r -d '' f; do
  case "$f" in
    *.go) go_files+=("$f") ;;
    *.sh | *.bash) sh_files+=("$f") ;;
  esac
done < <(git diff --cached --name-only --diff-filter=ACMR -z)

if ((${#go_files[@]} > 0)); then
  if have gofumpt; then
    for f in "${go_files[@]}"; do
      # the staged content, formatted from stdin, must come out unchanged
      if ! git show ":$f" | gofumpt | cmp -s - <(git show ":$f"); then
        say "gofumpt: $f is not formatted (run: gofumpt -w '$f' && git add '$f')"
        failed=1
      fi
    done
  else
    say "gofumpt not found, skipping the format check (go install mvdan.cc/gofumpt@latest)"
  fi

  if have golangci-lint; then
    if [ -f go.mod ]; then
      if git rev-parse -q --verify HEAD >/dev/null; then
        lint=(golangci-lint run --new-from-rev=HEAD ./...)
      else
        lint=(golangci-lint run ./...)
      fi
      if ! "${lint[@]}" >&2; then
        say "golangci-lint found new issues"
        failed=1
      fi
    else
      say "golangci-lint: no go.mod at the repository root, skipping"
    fi
  else
    say "golangci-lint not found, skipping the lint check (https://golangci-lint.run/welcome/install/)"
  fi
fi

if ((${#sh_files[@]} > 0)); then
  if have shellcheck; then
    for f in "${sh_files[@]}"; do
      if ! findings=$(git show ":$f" | shellcheck - 2>&1); then
        printf '%s\n' "$findings" | sed "s|^In - |In $f |" >&2
        say "shellcheck: $f has findings"
        failed=1
      fi
    done
  else
    say "shellcheck not found, skipping the shell script check (apt-get install shellcheck)"
  fi
fi

exit "$failed"
