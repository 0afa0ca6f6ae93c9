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
        Node.Mapping top = (Node.Mapping) section; // its keys and shapes are the schema's (wsl/schema.json)
        List<ProfileError> errors = new ArrayList<>();
        String wslconfigPath = null;
        Node pathNode = top.get("wslconfigPath");
        if (pathNode != null && !(pathNode instanceof Node.Scalar ps && ps.isNull())) {
            wslconfigPath = pathNode instanceof Node.Scalar ps ? ps.text().strip() : null;
            Optional<String> problem = wslconfigPath == null ? Optional.of("must be a path") : pathProblem(wslconfigPath);
            problem.ifPresent(p -> errors.add(new ProfileError(pathNode.origin(), "wslconfigPath " + p)));
        }
        List<WslSetting> out = new ArrayList<>();
        for (WslFile file : WslFile.values()) {
            Node n = top.get(file.profileKey());
            if (n == null || n instanceof Node.Scalar s && s.isNull()) continue;
            settings(file, n, file == WslFile.WSLCONFIG ? wslconfigPath : null, errors, out);
        }
        Node persist = top.get("persistSysctls");
        if (persist != null && !(persist instanceof Node.Scalar s0 && s0.isNull())) {
            String t = persist instanceof Node.Scalar s ? s.text().strip().toLowerCase(Locale.ROOT) : "";
            if (!t.equals("true") && !t.equals("false")) {
                errors.add(new ProfileError(persist.origin(), "persistSysctls must be true or false"));
            } else if (t.equals("true") && !systemdRequested(out)) {
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
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return out;
    }

    private static void settings(WslFile file, Node n, String wslconfigPath, List<ProfileError> errors, List<WslSetting> out) {
        String where = file == WslFile.CONF ? "wsl.conf" : ".wslconfig";
        if (!(n instanceof Node.Mapping sections)) {
            errors.add(new ProfileError(n.origin(), file.profileKey() + " must map " + where + " sections to their keys"));
            return;
        }
        for (var se : sections.entries().entrySet()) {
            Optional<String> section = WslKeys.section(file, se.getKey());
            if (section.isEmpty()) {
                errors.add(new ProfileError(sections.keyOrigin(se.getKey()), "unknown " + where + " section '" + se.getKey()
                        + "'; known sections: " + String.join(", ", WslKeys.sections(file))));
                continue;
            }
            if (!(se.getValue() instanceof Node.Mapping keys)) {
                errors.add(new ProfileError(se.getValue().origin(), "section " + section.get() + " must map keys to values"));
                continue;
            }
            for (var ke : keys.entries().entrySet()) {
                Optional<String> key = WslKeys.key(file, section.get(), ke.getKey());
                if (key.isEmpty()) {
                    errors.add(new ProfileError(keys.keyOrigin(ke.getKey()), "unknown " + where + " key '" + section.get() + "."
                            + ke.getKey() + "'; known keys of [" + section.get() + "]: " + String.join(", ", WslKeys.keys(file, section.get()))));
                    continue;
                }
                WslKeys.Type type = WslKeys.type(file, section.get(), key.get());
                if (!(ke.getValue() instanceof Node.Scalar v) || v.isNull()) {
                    errors.add(new ProfileError(ke.getValue().origin(), section.get() + "." + key.get() + " must be " + type.expected()));
                    continue;
                }
                String value = v.text();
                if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                    errors.add(new ProfileError(v.origin(), section.get() + "." + key.get() + " may not contain a line break"));
                    continue;
                }
                if (!type.valid(value.strip())) {
                    errors.add(new ProfileError(v.origin(), section.get() + "." + key.get() + " must be " + type.expected() + ", not '" + value + "'"));
                    continue;
                }
                String canonical = type == WslKeys.Type.STRING ? value : type.normalize(value);
                if (type == WslKeys.Type.SIZE || type == WslKeys.Type.PORT_LIST) canonical = value.strip();
                out.add(new WslSetting(file, section.get(), key.get(), canonical, false, wslconfigPath, v.origin()));
            }
        }
    }

    private static Optional<String> pathProblem(String p) {
        if (p.indexOf('\n') >= 0 || p.indexOf('\r') >= 0 || p.indexOf('\0') >= 0) return Optional.of("may not contain a line break");
        if (List.of(p.split("[/\\\\]")).contains("..")) return Optional.of("may not contain '..': " + p);
        if (isWindowsPath(p)) return Optional.empty();
        if (!p.startsWith("/")) return Optional.of("must be an absolute Linux path or a Windows path like C:\\Users\\me\\.wslconfig: " + p);
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
        CommandResult r = run(host, List.of(WindowsTools.require(wsl.tools().cmd(), "cmd.exe"), "/c", "echo", "%UserProfile%"));
        String value = lastLine(r.stdout());
        if (!r.ok() || value.isEmpty() || value.contains("%") || !isWindowsPath(value)) {
            throw new ResourceException("cannot find the Windows user profile directory (set wsl.wslconfigPath): " + r.describe());
        }
        return value;
    }

    private String wslpath(Host host, String windowsPath) throws ResourceException {
        CommandResult r = run(host, List.of(WindowsTools.require(wsl.tools().wslpath(), "wslpath"), "-u", windowsPath));
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
}
