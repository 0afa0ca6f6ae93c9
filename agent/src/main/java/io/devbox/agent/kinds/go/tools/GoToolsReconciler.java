package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Go programs ({@code go.tools}) built with the profile's default toolchain: {@code go install PACKAGE@VERSION} into a
 * temp directory in the tools directory, checked with {@code go version -m}, then renamed into {@code <toolsDir>/bin}
 * (a failed build keeps the old binary). Probed with {@code go version -m}: the module it was built from and the
 * toolchain that built it (a new default toolchain is a planned rebuild). Who builds is the {@link Builder}'s call:
 * root in a root-only directory, the developer in their home.
 */
public final class GoToolsReconciler implements Reconciler<GoToolResource, GoToolObserved> {
    private GoToolSpecParser.Parsed parsed;

    @Override
    public String kind() {
        return GoToolsKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return GoToolsKind.DESCRIPTOR.specKey();
    }

    @Override
    public List<GoToolResource> desired(Node section, DesiredContext context) throws ProfileException {
        parsed = GoToolSpecParser.parse(section);
        if (parsed.toolsDir() != null && context.host() != null) {
            try {
                Builder.of(context.host(), parsed.toolsDir());
            } catch (Builder.Refused e) {
                throw new ProfileException(parsed.toolsDirOrigin(), "go.toolsDir " + e.getMessage());
            } catch (IOException e) {
                throw new ProfileException(parsed.toolsDirOrigin(), "go.toolsDir " + parsed.toolsDir() + ": cannot check who controls it: "
                        + IoErrors.describe(e));
            }
        }
        return parsed.resources();
    }

    @Override
    public GoToolObserved probe(GoToolResource d, Host host) throws ResourceException {
        Builder builder = builder(d, host);
        try {
            Optional<BoxFs.Entry> entry = host.fs().stat(host.path(d.binary()));
            if (entry.isEmpty()) return GoToolObserved.absent();
            if (entry.get().kind() != BoxFs.Entry.Kind.FILE) return new GoToolObserved(true, "not a regular file", null);
        } catch (IOException e) {
            throw new ResourceException("cannot look at " + d.binary() + ": " + IoErrors.describe(e), e);
        }
        Optional<java.nio.file.Path> go = GoToolSteps.toolchain(d, host);
        if (go.isEmpty()) return new GoToolObserved(true, "unknown (go" + d.goVersion() + " is not installed yet)", null);
        return GoToolSteps.inspect(builder, go.get(), host.path(d.binary()), host)
                .map(b -> new GoToolObserved(true, b.module(), b.toolchain()))
                .orElse(new GoToolObserved(true, "not a Go program", null));
    }

    /** Pure: {@code module} (what the binary was built from) and {@code toolchain} (which Go built it). */
    @Override
    public List<Change> diff(GoToolResource d, GoToolObserved o) {
        List<Change> out = new ArrayList<>();
        if (d.presence().isAbsent()) {
            // only a binary that is still what the agent built goes
            if (o.exists() && d.module().equals(o.module())) out.add(Change.of(d.id(), d.origin(), new GoToolOp.Remove(o.module())));
            return out;
        }
        if (!d.module().equals(o.module())) {
            out.add(Change.of(d.id(), d.origin(), new GoToolOp.Install(o.module(), d.module())));
        } else if (!d.toolchain().equals(o.toolchain())) {
            out.add(Change.of(d.id(), d.origin(), new GoToolOp.Rebuild(o.toolchain(), d.toolchain())));
        }
        return out;
    }

    @Override
    public boolean exists(GoToolResource desired, GoToolObserved observed, List<Change> changes) {
        return observed.exists();
    }

    @Override
    public void apply(GoToolResource d, Change change, Host host) throws ResourceException {
        GoToolOp op = Operation.of(change, GoToolOp.class);
        // idempotent: what the change was planned from may be true already (a second run of a stale plan)
        if (diff(d, probe(d, host)).isEmpty()) return;
        op.applyWith(new GoToolSteps(d, builder(d, host), host));
    }

    /**
     * A tool that left the profiles: removed while the section still has tools (their toolsDir and toolchain say where
     * and with what to look) and the binary is what the agent built. With the whole of go.tools gone the programs stay.
     */
    @Override
    public Optional<GoToolResource> removal(String resourceId, Map<String, String> lastApplied) {
        String prefix = kind() + "[";
        if (parsed == null || parsed.toolsDir() == null || !resourceId.startsWith(prefix) || !resourceId.endsWith("]")) {
            return Optional.empty();
        }
        String name = resourceId.substring(prefix.length(), resourceId.length() - 1);
        String module = lastApplied.get(Change.stateKey(GoToolOp.MODULE, io.devbox.agent.engine.Layer.PERSISTED));
        if (module == null || !GoToolSpecParser.NAME.matcher(name).matches()) return Optional.empty();
        var m = GoToolSpecParser.TOOL.matcher(module);
        if (!m.matches() || !GoToolSpecParser.binaryName(m.group(1)).equals(name)) return Optional.empty();
        return Optional.of(new GoToolResource(name, m.group(1), m.group(2), parsed.toolsDir(), parsed.installDir(),
                parsed.goVersion(), Map.of(), Presence.absent(lastApplied), null));
    }

    /** Removes temp directories a killed earlier build left in the tools directory. */
    @Override
    public void finish(Host host) throws ResourceException {
        if (parsed == null || parsed.toolsDir() == null || parsed.resources().isEmpty()) return;
        GoToolSteps.removeLeftovers(builder(parsed.resources().get(0), host), parsed.toolsDir(), host);
    }

    /** Checked before every use: the directory may have changed hands since the plan. */
    private static Builder builder(GoToolResource d, Host host) throws ResourceException {
        try {
            return Builder.of(host, d.toolsDir());
        } catch (Builder.Refused e) {
            throw new ResourceException("go.toolsDir " + e.getMessage());
        } catch (IOException e) {
            throw new ResourceException("cannot check who controls " + d.toolsDir() + ": " + IoErrors.describe(e), e);
        }
    }
}
