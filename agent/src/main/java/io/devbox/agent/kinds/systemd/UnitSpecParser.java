package io.devbox.agent.kinds.systemd;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the composed {@code systemd:} section into unit resources; every error is located. */
final class UnitSpecParser {
    private static final Pattern SLICE_LINE = Pattern.compile("(?m)^\\s*Slice\\s*=\\s*(\\S+)\\s*$");

    private final DesiredContext context;
    private final List<ProfileError> errors = new ArrayList<>();

    UnitSpecParser(DesiredContext context) {
        this.context = context;
    }

    List<UnitResource> parse(Node section) throws ProfileException {
        // the schema has checked the shape (units and their fields, a bare entry being a unit with every field absent),
        // and of the composition: not both content and file, no content or file for a masked unit
        List<UnitResource> out = new ArrayList<>();
        if (((Node.Mapping) section).get("units") instanceof Node.Mapping units) {
            units.entries().forEach((name, node) -> unit(name, units.keyOrigin(name), node).ifPresent(out::add));
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return out;
    }

    private Optional<UnitResource> unit(String name, Origin keyOrigin, Node node) {
        // the schema has checked the name, the drop-ins' names and the fields' values (enabled, state, restartOnChange)
        int before = errors.size();
        String content = null;
        Map<String, String> dropins = new LinkedHashMap<>();
        UnitResource.Enablement enabled = null;
        UnitResource.RunState state = null;
        boolean restartOnChange = true;
        List<String> dependsOn = new ArrayList<>();
        Origin enabledOrigin = null;
        Origin stateOrigin = null;
        if (node instanceof Node.Mapping m) {
            for (var e : m.entries().entrySet()) {
                Node v = e.getValue();
                switch (e.getKey()) {
                    case "content" -> content = checkText(((Node.Scalar) v).text(), v.origin(), "content");
                    case "file" -> content = file(v);
                    case "dropins" -> ((Node.Mapping) v).entries().forEach((dropin, text) -> {
                        String t = checkText(((Node.Scalar) text).text(), text.origin(), "drop-in " + dropin);
                        if (t != null) dropins.put(dropin, t);
                    });
                    case "enabled" -> {
                        enabledOrigin = v.origin();
                        enabled = switch (scalar(v)) {
                            case "true" -> UnitResource.Enablement.ENABLED;
                            case "false" -> UnitResource.Enablement.DISABLED;
                            default -> UnitResource.Enablement.MASKED;
                        };
                    }
                    case "state" -> {
                        stateOrigin = v.origin();
                        state = scalar(v).equals("started") ? UnitResource.RunState.STARTED : UnitResource.RunState.STOPPED;
                    }
                    case "restartOnChange" -> restartOnChange = Boolean.parseBoolean(scalar(v));
                    case "dependsOn" -> {
                        for (Node item : ((Node.Sequence) v).items()) dependsOn.add(((Node.Scalar) item).text());
                    }
                    default -> throw new IllegalStateException(e.getKey());
                }
            }
        }
        if (enabled == UnitResource.Enablement.MASKED && state == UnitResource.RunState.STARTED) {
            errors.add(new ProfileError(stateOrigin, "a masked unit cannot be started"));
        }
        if (UnitNames.isTemplate(name) && (state != null || enabled == UnitResource.Enablement.ENABLED)) {
            errors.add(new ProfileError(state != null ? stateOrigin : enabledOrigin, name
                    + " is a template: start or enable an instance of it (e.g. " + name.replace("@.", "@main.") + ")"));
        }
        if (errors.size() > before) return Optional.empty();
        dependsOn.addAll(implicitSlices(name, content, dropins, dependsOn));
        return Optional.of(new UnitResource(name, keyOrigin, content, dropins, enabled, state, restartOnChange,
                new ArrayList<>(new LinkedHashSet<>(dependsOn))));
    }

    /** A unit placed in a slice that a profile declares as a cgroup comes after that cgroup. */
    private List<String> implicitSlices(String name, String content, Map<String, String> dropins, List<String> explicit) {
        Node cgroups = context.spec().sections().get("cgroups");
        if (!(cgroups instanceof Node.Mapping m)) return List.of();
        List<String> texts = new ArrayList<>(dropins.values());
        if (content != null) texts.add(0, content);
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            Matcher mt = SLICE_LINE.matcher(t);
            while (mt.find()) {
                String slice = mt.group(1);
                for (String path : m.entries().keySet()) {
                    String last = path.substring(path.lastIndexOf('/') + 1);
                    String id = "cgroup[" + path + "]";
                    if (last.equals(slice) && !explicit.contains(id) && !out.contains(id)) out.add(id);
                }
            }
        }
        return out;
    }

    private String file(Node v) {
        String path = scalar(v);
        Optional<String> bad = SafePaths.relativeProblem(path);
        if (bad.isPresent()) {
            errors.add(new ProfileError(v.origin(), "file must stay inside the profile repository: " + bad.get()));
            return null;
        }
        try {
            Optional<byte[]> bytes = context.spec().files().read(path);
            if (bytes.isEmpty()) {
                errors.add(new ProfileError(v.origin(), "file not found in the profile repository: " + path));
                return null;
            }
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.get())).toString();
            return checkText(s, v.origin(), "file " + path);
        } catch (CharacterCodingException e) {
            errors.add(new ProfileError(v.origin(), "file " + path + " is not UTF-8 text"));
        } catch (IOException e) {
            errors.add(new ProfileError(v.origin(), "cannot read " + path + ": " + IoErrors.describe(e)));
        }
        return null;
    }

    /** Text as a unit file holds it: not blank, no NUL (which a profile's file can hold as well as its content), a final newline. */
    private String checkText(String t, Origin origin, String what) {
        if (t.isBlank()) {
            errors.add(new ProfileError(origin, what + " is empty"));
            return null;
        }
        if (t.indexOf('\0') >= 0) {
            errors.add(new ProfileError(origin, what + " contains a NUL character"));
            return null;
        }
        return t.endsWith("\n") ? t : t + "\n";
    }

    private static String scalar(Node v) {
        return v instanceof Node.Scalar s && !s.isNull() ? s.text().strip() : "";
    }
}
