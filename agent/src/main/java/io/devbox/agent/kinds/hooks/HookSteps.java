package io.devbox.agent.kinds.hooks;

import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Carries out {@link HookLayout.Step}s in one hooks directory through {@link BoxFs}: the directory usually lies in the
 * developer's repository or home, so every file is opened relative to directory handles without following links, and
 * what the agent writes there belongs to the directory's owner (the developer's git runs it). Root does this rather than
 * the developer because a root-owned hooks directory (a sandbox, a shared checkout) must keep working the same way.
 * Before a hook the agent did not write is moved or deleted, a copy goes to {@link KeptCopies}.
 */
final class HookSteps {
    private final Host host;
    private final KeptCopies copies;
    private final String scope;
    private final String hook;
    private final boolean global;

    HookSteps(Host host, KeptCopies copies, String scope, String hook, boolean global) {
        this.host = host;
        this.copies = copies;
        this.scope = scope;
        this.hook = hook;
        this.global = global;
    }

    void run(Path dir, List<HookLayout.Step> steps) throws IOException {
        BoxFs fs = host.fs();
        for (HookLayout.Step step : steps) {
            if (step instanceof HookLayout.Step.Move m) {
                keepCopy(fs, dir, m.from());
                if (fs.stat(dir.resolve(m.to())).isPresent()) {
                    throw new IOException(m.to() + " appeared while the agent was moving " + m.from() + " there; nothing was replaced");
                }
                fs.rename(dir, m.from(), m.to());
            } else if (step instanceof HookLayout.Step.Delete d) {
                if (d.foreign()) keepCopy(fs, dir, d.file());
                fs.delete(dir.resolve(d.file()));
            } else if (step instanceof HookLayout.Step.Write w) {
                fs.write(dir.resolve(w.file()), w.content(), "rwxr-xr-x", global);
            }
        }
    }

    private void keepCopy(BoxFs fs, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        boolean regular = fs.stat(file).filter(e -> e.kind() == BoxFs.Entry.Kind.FILE).isPresent();
        copies.save(scope, hook, name, regular ? HookFiles.read(fs, file) : null);
    }
}
