package io.devbox.agent.kinds.wsl;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.StatusFact;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IniDocument;
import io.devbox.agent.host.Printable;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.host.WindowsTools;
import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kind {@code wsl} (spec key {@code wsl}): keys of /etc/wsl.conf ({@code wsl.conf[boot.systemd]}) and of the
 * Windows user's .wslconfig ({@code wslconfig[wsl2.memory]}), edited in place by {@link IniDocument}. A key
 * dropped from the profiles is left as it is in the user's file (no removal).
 *
 * <p>Over 300 lines because its two files (/etc/wsl.conf and the Windows user's .wslconfig) share probe, diff and apply
 * and differ only in where and as whom they are read and written.
 */
public final class WslReconciler implements Reconciler<WslSetting, WslObserved> {
    static final String FIELD = "value";
    private static final Logger LOG = LoggerFactory.getLogger(WslReconciler.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** wsl.conf and .wslconfig are a few dozen lines. */
    private static final long SETTINGS_CAP = 1L << 20;

    private final WslEnvironment wsl;
    private final Map<String, Path> wslconfigByPathSetting = new java.util.HashMap<>(); // per run

    public WslReconciler() {
        this(WslEnvironment.current());
    }

    public WslReconciler(WslEnvironment wsl) {
        this.wsl = wsl;
    }

    @Override
    public String kind() {
        return WslKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return WslKind.DESCRIPTOR.specKey();
    }

    // ---------------------------------------------------------------- desired

    @Override
    public List<WslSetting> desired(Node section, DesiredContext context) throws ProfileException {
        if (section == null || section instanceof Node.Scalar s && s.isNull()) return List.of();
        // the schema (wsl/schema.json) has checked the sections, keys and values, one line each; what follows turns
        // them into the form WSL compares, and checks the .wslconfig path beyond its shape
        Node.Mapping top = (Node.Mapping) section;
        String wslconfigPath = null;
        if (top.get("wslconfigPath") instanceof Node.Scalar ps && !ps.isNull()) {
            wslconfigPath = ps.text().strip();
            Optional<String> problem = pathProblem(wslconfigPath);
            if (problem.isPresent()) throw new ProfileException(ps.origin(), "wslconfigPath " + problem.get());
        }
        List<WslSetting> out = new ArrayList<>();
        for (WslFile file : WslFile.values()) {
            if (top.get(file.profileKey()) instanceof Node.Mapping sections) {
                settings(file, sections, file == WslFile.WSLCONFIG ? wslconfigPath : null, out);
            }
        }
        if (top.get("persistSysctls") instanceof Node.Scalar persist && "true".equalsIgnoreCase(persist.text()) && !systemdRequested(out)) {
            // with [boot] systemd=true, systemd-sysctl applies /etc/sysctl.d at boot: no command needed
            int i = indexOf(out, WslFile.CONF, "boot", "command");
            if (i >= 0) {
                WslSetting explicit = out.get(i);
                out.set(i, new WslSetting(WslFile.CONF, "boot", "command",
                        PersistSysctls.withSysctlSystem(explicit.value()), false, null, explicit.origin()));
            } else {
                out.add(new WslSetting(WslFile.CONF, "boot", "command", null, true, null, persist.origin()));
            }
        }
        return out;
    }

    private static void settings(WslFile file, Node.Mapping sections, String wslconfigPath, List<WslSetting> out) {
        for (var se : sections.entries().entrySet()) {
            if (!(se.getValue() instanceof Node.Mapping keys)) continue; // an empty section
            for (var ke : keys.entries().entrySet()) {
                if (!(ke.getValue() instanceof Node.Scalar v) || v.isNull()) continue;
                WslKeys.Type type = WslKeys.type(file, se.getKey(), ke.getKey());
                out.add(new WslSetting(file, se.getKey(), ke.getKey(), type.canonical(v.text()), false, wslconfigPath, v.origin()));
            }
        }
    }

    /** Beyond the schema's shape (a Linux or a Windows path, one line, no '..' segment): a Linux path must be a safe one. */
    private static Optional<String> pathProblem(String p) {
        if (List.of(p.split("[/\\\\]")).contains("..")) return Optional.of("may not contain '..': " + p);
        if (isWindowsPath(p)) return Optional.empty();
        return SafePaths.absoluteProblem(p).map(x -> "is not a safe path (" + x + ")");
    }

    private static boolean isWindowsPath(String p) {
        return p.matches("^[A-Za-z]:\\\\.*");
    }

    private static boolean systemdRequested(List<WslSetting> settings) {
        int i = indexOf(settings, WslFile.CONF, "boot", "systemd");
        return i >= 0 && "true".equals(settings.get(i).value());
    }

    private static int indexOf(List<WslSetting> settings, WslFile file, String section, String key) {
        for (int i = 0; i < settings.size(); i++) {
            WslSetting s = settings.get(i);
            if (s.file() == file && s.section().equals(section) && s.key().equals(key)) return i;
        }
        return -1;
    }

    // ---------------------------------------------------------------- probe

    @Override
    public WslObserved probe(WslSetting desired, Host host) throws ResourceException {
        if (!wsl.isWsl(host)) throw new ResourceSkipped(WslEnvironment.NOT_WSL);
        if (desired.ensureSysctlSystem() && host.facts() != null && host.facts().systemd()) {
            throw new ResourceSkipped("systemd runs here: systemd-sysctl applies /etc/sysctl.d at boot, no [boot] command needed");
        }
        Path file = path(desired, host);
        String text = readText(host, file);
        IniDocument doc = IniDocument.parse(text == null ? "" : text);
        for (String d : doc.duplicates()) LOG.warn("{}: {}", Printable.escape(file), Printable.escape(d));
        return new WslObserved(file.toString(), doc.get(desired.section(), desired.key()).orElse(null), text);
    }

    private Path path(WslSetting d, Host host) throws ResourceException {
        if (d.file() == WslFile.CONF) return host.path("/etc/wsl.conf");
        String setting = d.wslconfigPath() == null ? "" : d.wslconfigPath();
        Path cached = wslconfigByPathSetting.get(setting);
        if (cached != null) return cached;
        String linux;
        if (d.wslconfigPath() == null) {
            String profile = userProfile(host);
            linux = wslpath(host, profile).replaceAll("/+$", "") + "/.wslconfig";
        } else if (isWindowsPath(d.wslconfigPath())) {
            linux = wslpath(host, d.wslconfigPath());
        } else {
            linux = d.wslconfigPath();
        }
        Optional<String> problem = SafePaths.absoluteProblem(linux);
        if (problem.isPresent()) throw new ResourceException("unusable .wslconfig path '" + linux + "': " + problem.get());
        Path p = host.path(linux);
        wslconfigByPathSetting.put(setting, p);
        return p;
    }

    /** {@code %UserProfile%} as cmd.exe expands it (CRLF output; a UNC-path warning on stderr is normal). */
    private String userProfile(Host host) throws ResourceException {
        CommandResult r = run(host, List.of(tool(wsl.tools().cmd(), "cmd.exe"), "/c", "echo", "%UserProfile%"));
        String value = lastLine(r.stdout());
        if (!r.ok() || value.isEmpty() || value.contains("%") || !isWindowsPath(value)) {
            throw new ResourceException("cannot find the Windows user profile directory (set wsl.wslconfigPath): " + r.describe());
        }
        return value;
    }

    private String wslpath(Host host, String windowsPath) throws ResourceException {
        CommandResult r = run(host, List.of(tool(wsl.tools().wslpath(), "wslpath"), "-u", windowsPath));
        String value = lastLine(r.stdout());
        if (!r.ok() || !value.startsWith("/")) throw new ResourceException("wslpath cannot translate " + windowsPath + ": " + r.describe());
        return value;
    }

    private static String lastLine(String out) {
        String[] lines = out.split("\r?\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].replace("\r", "").strip();
            if (!l.isEmpty()) return l;
        }
        return "";
    }

    private static CommandResult run(Host host, List<String> argv) throws ResourceException {
        try {
            return host.commands().run(argv, Map.of(), null, TIMEOUT);
        } catch (IOException e) {
            throw new ResourceException("cannot run " + argv.get(0) + ": " + e.getMessage());
        }
    }

    /**
     * Reads /etc/wsl.conf or the Windows user's .wslconfig through {@link io.devbox.agent.host.BoxFs}: the latter lies in
     * a directory the Windows user controls (on drvfs, owned by the distro's default user), so it is opened relative to
     * directory handles without following links and capped like any file a user hands the agent. Null when absent.
     */
    private static String readText(Host host, Path file) throws ResourceException {
        try {
            return host.fs().read(file, SETTINGS_CAP, "a WSL settings file").map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + file + ": " + IoErrors.describe(e));
        }
    }

    private static IniDocument read(Host host, Path file) throws ResourceException {
        try {
            return IniDocument.parse(host.fs().read(file, SETTINGS_CAP, "a WSL settings file").orElse(new byte[0]));
        } catch (IOException e) {
            throw new ResourceException("cannot read " + file + ": " + IoErrors.describe(e));
        }
    }

    // ---------------------------------------------------------------- diff (pure)

    @Override
    public List<Change> diff(WslSetting desired, WslObserved observed) {
        String want = wanted(desired, observed.value());
        WslKeys.Type type = WslKeys.type(desired.file(), desired.section(), desired.key());
        if (Objects.equals(type.normalize(want), type.normalize(observed.value() == null ? null : observed.value().strip()))
                && observed.value() != null) {
            return List.of();
        }
        if (want == null) return List.of(Change.of(desired.id(), desired.origin(), new WslOp.SetKey(observed.value(), null, null, null)));
        // the edit as the file will show it: the user's comments, order and other keys kept
        IniDocument after = IniDocument.parse(observed.text() == null ? "" : observed.text());
        after.set(desired.section(), desired.key(), want);
        return List.of(Change.of(desired.id(), desired.origin(), new WslOp.SetKey(observed.value(), want, observed.text(),
                new String(after.toBytes(), StandardCharsets.UTF_8))));
    }

    private static String wanted(WslSetting d, String current) {
        return d.ensureSysctlSystem() ? PersistSysctls.withSysctlSystem(current) : d.value();
    }

    /** Whether a WSL restart is pending: WSL settings changed in this boot ({@link RestartPending}). */
    @Override
    public List<StatusFact> statusFacts(Host host) {
        String boot = host.facts() == null ? null : host.facts().bootId();
        boolean pending = boot != null && RestartPending.details(host.stateDir(), boot).isPresent();
        return List.of(new StatusFact("restartPending", pending, "a WSL restart is pending (wsl --shutdown) for changed WSL settings"));
    }

    // ---------------------------------------------------------------- apply

    @Override
    public void apply(WslSetting desired, Change change, Host host) throws ResourceException {
        WslOp.SetKey op = (WslOp.SetKey) Operation.of(change, WslOp.class);
        Path file = path(desired, host);
        IniDocument doc = read(host, file);
        // persistSysctls keeps the user's own boot command, which may have changed since the plan: derived again
        String want = desired.ensureSysctlSystem() ? wanted(desired, doc.get(desired.section(), desired.key()).orElse(null)) : op.to();
        WslKeys.Type type = WslKeys.type(desired.file(), desired.section(), desired.key());
        Optional<String> now = doc.get(desired.section(), desired.key());
        if (now.isPresent() && Objects.equals(type.normalize(now.get().strip()), type.normalize(want))) return;
        doc.set(desired.section(), desired.key(), want);
        try {
            if (host.fs().writeIfChanged(file, doc.toBytes(), null, false)) {
                RestartPending.record(host.stateDir(), host.facts() == null ? null : host.facts().bootId(), desired.id());
            }
        } catch (IOException e) {
            throw new ResourceException("cannot write " + file + ": " + IoErrors.describe(e));
        }
    }

    /** The program's path, or this resource's error naming what is missing. */
    private static String tool(java.nio.file.Path tool, String name) throws ResourceException {
        if (tool == null) throw new ResourceException(WindowsTools.notFound(name));
        return tool.toString();
    }
}
