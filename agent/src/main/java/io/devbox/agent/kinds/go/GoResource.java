package io.devbox.agent.kinds.go;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

import java.util.List;

/** The resources of the go kind: one per toolchain version, the default (current symlink and PATH), one per env key. */
public sealed interface GoResource extends DesiredResource {

    /**
     * {@code go[1.22.5]}: a toolchain in {@code <installDir>/go1.22.5}. The {@link Presence.Absent absent} form is the
     * pruned one: removed only when the agent's completion marker is there.
     *
     * @param sha256 the expected sha256 from the profile, or null to take it from the mirror's listing
     */
    record Version(String version, String installDir, Presence presence, String mirror, String sha256, Origin origin)
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
     * {@code go[default]}: the {@code current} symlink and /etc/profile.d/devbox-go.sh. The {@link Presence.Absent absent}
     * form (no version) removes the symlink and the script.
     *
     * @param tools the go.tools' bin directory the script also puts on PATH, or null when the profile has no tools
     */
    record Default(String version, String installDir, GoLayout.ToolsPath tools, Origin origin, Presence presence) implements GoResource {
        public Default {
            if (presence.isPresent() != (version != null)) throw new IllegalArgumentException("a present default has a version, an absent one none");
        }

        /** The default as a profile declares it. */
        public Default(String version, String installDir, GoLayout.ToolsPath tools, Origin origin) {
            this(version, installDir, tools, origin, Presence.PRESENT);
        }

        /** The default as a profile without go.tools declares it. */
        public Default(String version, String installDir, Origin origin) {
            this(version, installDir, null, origin, Presence.PRESENT);
        }

        @Override
        public String id() {
            return "go[default]";
        }

        @Override
        public List<String> dependsOn() {
            return version == null ? List.of() : List.of("go[" + version + "]");
        }
    }

    /** {@code go[env:GOPRIVATE]}: one key of the developer's Go env file; the absent form (no value) removes the key. */
    record EnvKey(String key, String value, Origin origin, List<String> warnings, Presence presence) implements GoResource {
        public EnvKey {
            warnings = List.copyOf(warnings);
            if (presence.isPresent() != (value != null)) throw new IllegalArgumentException("a present key has a value, an absent one none");
        }

        /** The key as a profile declares it. */
        public EnvKey(String key, String value, Origin origin, List<String> warnings) {
            this(key, value, origin, warnings, Presence.PRESENT);
        }

        @Override
        public String id() {
            return "go[env:" + key + "]";
        }
    }
}
