#!/bin/sh
# Mutation fuzzing of profiles (not part of CI): bench/fuzz-profiles.sh [SECONDS] [SEED]
# Mutates the bundled and built-in valid profiles for SECONDS (default 120) and runs each mutant through parsing,
# schema validation, composition, every kind's checks and a plan against a sandbox box, in process. Reports crashes
# (a throwable other than ProfileException) and hangs (> 5 s); the mutants are kept in agent/target/fuzz-findings/. Exit 1 on any.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-120}
seed=${2:-}
mvn -B -q -o package -DskipTests >/dev/null
exec java -XX:+UseSerialGC -cp agent/target/test-classes:agent/target/devbox-agent.jar \
    io.devbox.agent.hardening.ProfileFuzzer "$seconds" "$seed"
