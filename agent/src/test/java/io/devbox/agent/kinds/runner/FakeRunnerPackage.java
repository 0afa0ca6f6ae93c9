package io.devbox.agent.kinds.runner;

import io.devbox.agent.testing.Tarballs;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A runner package standing in for actions-runner-linux-ARCH-V.tar.gz, laid out like the real one (entries under
 * {@code ./}): {@code config.sh} (bash) records each call's arguments to {@code <parent of installDir>/runner-standin/argv.log}
 * and its environment to {@code env.log} there, writes {@code .runner} the way the runner does (JSON with a UTF-8 BOM),
 * {@code .credentials} and {@code .credentials_rsaparams}, refuses to configure twice (like the real one), supports
 * {@code remove}, and fails with the text of {@code runner-standin/fail} when that file exists (echoing the token, which
 * the agent must scrub). {@code runsvc.sh} runs until stopped; {@code bin/Runner.Listener --version} prints the version.
 */
public final class FakeRunnerPackage {
    static final String CONFIG_SH = """
            #!/bin/bash
            set -u
            here="$(cd "$(dirname "$0")" && pwd)"
            standin="$(dirname "$here")/runner-standin"
            mkdir -p "$standin"
            line=""
            for a in "$@"; do line="$line[$a]"; done
            printf '%s\\n' "$line" >> "$standin/argv.log"
            { echo "--- call"; env | sort; } >> "$standin/env.log"
            if [ -f "$standin/fail" ]; then
              cat "$standin/fail"
              echo "Response status code does not indicate success (token ${ACTIONS_RUNNER_INPUT_TOKEN:-none})" >&2
              exit 1
            fi
            if [ -z "${ACTIONS_RUNNER_INPUT_TOKEN:-}" ]; then
              echo "Enter runner registration token: (unattended: missing --token)" >&2
              exit 1
            fi
            if [ "${1:-}" = remove ]; then
              rm -f "$here/.runner" "$here/.credentials" "$here/.credentials_rsaparams"
              echo "# Runner removal"
              echo "√ Runner removed successfully"
              exit 0
            fi
            if [ -f "$here/.runner" ]; then
              echo "Cannot configure the runner because it is already configured. To reconfigure the runner, run 'config.cmd remove' or './config.sh remove' first." >&2
              exit 1
            fi
            url=""; name=""
            while [ $# -gt 0 ]; do
              case "$1" in
                --url) url="$2"; shift ;;
                --name) name="$2"; shift ;;
              esac
              shift
            done
            printf '\\xef\\xbb\\xbf{\\n  "agentId": 17,\\n  "agentName": "%s",\\n  "poolId": 1,\\n  "poolName": "Default",\\n  "serverUrl": "https://pipelinesghubeus2.actions.githubusercontent.com/abc/",\\n  "gitHubUrl": "%s",\\n  "workFolder": "_work"\\n}' "$name" "$url" > "$here/.runner"
            printf '{\\n  "scheme": "OAuth",\\n  "data": {\\n    "clientId": "0c1e-standin",\\n    "authorizationUrl": "https://pipelines.actions.githubusercontent.com/abc/_apis/oauth2/token"\\n  }\\n}' > "$here/.credentials"
            printf '{"d":"standin-private-key"}' > "$here/.credentials_rsaparams"
            echo "√ Connected to GitHub"
            echo "√ Runner successfully added"
            echo "√ Settings Saved."
            """;

    private FakeRunnerPackage() {
    }

    public static byte[] tarGz(String version) {
        return new Tarballs().dir("./").dir("./bin")
                .file("./config.sh", CONFIG_SH, 0755)
                .file("./runsvc.sh", "#!/bin/bash\n# stand-in for the runner's service script\nexec sleep infinity\n", 0755)
                .file("./run.sh", "#!/bin/bash\nexec sleep infinity\n", 0755)
                .file("./bin/Runner.Listener", "#!/bin/bash\nif [ \"${1:-}\" = --version ]; then echo " + version
                        + "; exit 0; fi\necho \"unknown command\" >&2; exit 1\n", 0755)
                .file("./bin/Runner.Worker.dll", "stand-in " + version + "\n", 0644)
                .file("./safe_sleep.sh", "#!/bin/bash\nsleep \"$1\"\n", 0755)
                .tarGz();
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
