package io.devbox.agent.kinds;

import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.KindServices;
import io.devbox.agent.kinds.cgroup.CgroupKind;
import io.devbox.agent.kinds.files.FilesKind;
import io.devbox.agent.kinds.go.GoKind;
import io.devbox.agent.kinds.go.tools.GoToolsKind;
import io.devbox.agent.kinds.hooks.HooksKind;
import io.devbox.agent.kinds.packages.PackagesKind;
import io.devbox.agent.kinds.ports.PortsKind;
import io.devbox.agent.kinds.runner.RunnerKind;
import io.devbox.agent.kinds.sysctl.SysctlKind;
import io.devbox.agent.kinds.systemd.UnitKind;
import io.devbox.agent.kinds.wsl.PersistSysctls;
import io.devbox.agent.kinds.wsl.WslKind;
import io.devbox.agent.profile.ProfileSchema;

import java.util.List;

/**
 * Every kind this build knows, in the order their sections are planned: one line per kind. Kind packages never import
 * each other (the runner's unit is the one documented exception, see LayeringTest); where one kind needs another's
 * knowledge, it is handed in here.
 */
public final class Kinds {
    private static final List<KindDescriptor> ALL = List.of(
            SysctlKind.descriptor(PersistSysctls::configured),
            CgroupKind.DESCRIPTOR,
            UnitKind.DESCRIPTOR,
            PortsKind.DESCRIPTOR,
            WslKind.DESCRIPTOR,
            GoKind.DESCRIPTOR,
            GoToolsKind.DESCRIPTOR,
            HooksKind.DESCRIPTOR,
            RunnerKind.DESCRIPTOR,
            PackagesKind.DESCRIPTOR,
            FilesKind.DESCRIPTOR);

    private static final ProfileSchema SCHEMA = KindRegistry.schemaOf(ALL);

    private Kinds() {
    }

    public static List<KindDescriptor> all() {
        return ALL;
    }

    /** The standard kinds for runs that keep to {@code services}. */
    public static KindRegistry registry(KindServices services) {
        return KindRegistry.of(ALL, services, SCHEMA);
    }

    /** The profile schema of the standard kinds (what the build writes to schema/profile.schema.json). */
    public static ProfileSchema schema() {
        return SCHEMA;
    }

    /** The standard kinds with default settings (schema listings, help, tests). */
    public static KindRegistry registry() {
        return registry(KindServices.standard());
    }
}
