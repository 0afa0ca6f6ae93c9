package io.devbox.agent.kinds.go;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.profile.Origin;

import java.util.List;

/** The resources of the go kind: one per toolchain version, the default (current symlink and PATH), one per env key. */
public sealed interface GoResource extends DesiredResource {

    /**
     * {@code go[1.22.5]}: a toolchain in {@code <installDir>/go1.22.5}. {@code present} false is the pruned form:
     * removed only when the agent's completion marker is there.
     *
     * @param sha256 the expected sha256 from the profile, or null to take it from the mirror's listing
     */
    record Version(String version, String installDir, boolean present, String mirror, String sha256, Origin origin)
            implements GoResource {
        @Override
        public String id() {
            return "go[" + version + "]";
        }

        /** The box path of the version directory. */
        public String dir() {
            return GoLayout.versionDir(installDir, version);
        }
    }

    /**
     * {@code go[default]}: the {@code current} symlink and /etc/profile.d/devbox-go.sh. {@code version} null is the
     * removed form (symlink and script removed).
     */
    record Default(String version, String installDir, Origin origin) implements GoResource {
        @Override
        public String id() {
            return "go[default]";
        }

        @Override
        public List<String> dependsOn() {
            return version == null ? List.of() : List.of("go[" + version + "]");
        }
    }

    /** {@code go[env:GOPRIVATE]}: one key of the developer's Go env file; {@code value} null removes the key. */
    record EnvKey(String key, String value, Origin origin, List<String> warnings) implements GoResource {
        public EnvKey {
            warnings = List.copyOf(warnings);
        }

        @Override
        public String id() {
            return "go[env:" + key + "]";
        }
    }
}
