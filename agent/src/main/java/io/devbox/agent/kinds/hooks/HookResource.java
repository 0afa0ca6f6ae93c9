package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.profile.Origin;

import java.util.List;

/** The resources of the hook kind. */
public sealed interface HookResource extends DesiredResource {

    /**
     * One hook: {@code hook[/home/dev/src/api:pre-commit]} in a repository's effective hooks directory, or
     * {@code hook[global:pre-commit]} in the agent's managed global hooks directory ({@code repo} null).
     * {@code content} null is the removed form: the agent's files go, and what it kept or moved aside goes back where
     * the developer or the hook manager would have it ({@link HookLayout#remove}).
     */
    record Hook(String repo, String name, String content, Origin origin, List<String> warnings) implements HookResource {
        public Hook {
            warnings = List.copyOf(warnings);
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
     * hooks directory {@code dir} (a box path); {@code set} false: unset again, if it still points there. Comes after
     * the hooks it activates.
     */
    record GlobalPath(String dir, boolean set, Origin origin, List<String> hookIds, List<String> warnings)
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
