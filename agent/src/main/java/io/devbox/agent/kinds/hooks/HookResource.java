package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

import java.util.List;

/** The resources of the hook kind. */
public sealed interface HookResource extends DesiredResource {

    /**
     * One hook: {@code hook[/home/dev/src/api:pre-commit]} in a repository's effective hooks directory, or
     * {@code hook[global:pre-commit]} in the agent's managed global hooks directory ({@code repo} null).
     * The {@link Presence.Absent absent} form (no content) is a hook no profile lists any more: the agent's files go,
     * and what it kept or moved aside goes back where the developer or the hook manager would have it
     * ({@link HookLayout#remove}).
     */
    record Hook(String repo, String name, String content, Origin origin, List<String> warnings, Presence presence)
            implements HookResource {
        public Hook {
            warnings = List.copyOf(warnings);
            if (presence.isPresent() != (content != null)) throw new IllegalArgumentException("a present hook has content, an absent one none");
        }

        /** The hook as a profile declares it. */
        public Hook(String repo, String name, String content, Origin origin, List<String> warnings) {
            this(repo, name, content, origin, warnings, Presence.PRESENT);
        }

        /** The hook no profile lists any more. */
        public static Hook absent(String repo, String name, Presence.Absent absent) {
            return new Hook(repo, name, null, null, List.of(), absent);
        }

        public boolean global() {
            return repo == null;
        }

        @Override
        public String id() {
            return "hook[" + (repo == null ? "global" : repo) + ":" + name + "]";
        }
    }

    /**
     * {@code hook[global]}: {@code core.hooksPath} in the developer's global git config pointing at the managed
     * hooks directory {@code dir} (a box path); the {@link Presence.Absent absent} form: unset again, if it still points
     * there. Comes after the hooks it activates.
     */
    record GlobalPath(String dir, Presence presence, Origin origin, List<String> hookIds, List<String> warnings)
            implements HookResource {
        public GlobalPath {
            hookIds = List.copyOf(hookIds);
            warnings = List.copyOf(warnings);
        }

        @Override
        public List<String> dependsOn() {
            return hookIds;
        }

        @Override
        public String id() {
            return "hook[global]";
        }
    }
}
