package io.devbox.agent.kinds;

import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a composed spec section and collects located errors, so that a kind reports every problem of a section
 * at once. The schema has already checked shapes; this guards against what it cannot express.
 */
public final class SpecReader {
    private final List<ProfileError> errors = new ArrayList<>();

    public void error(Origin origin, String message) {
        errors.add(new ProfileError(origin, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public void throwIfAny() throws ProfileException {
        if (!errors.isEmpty()) throw new ProfileException(errors);
    }

    /** The mapping, or null (with an error) when {@code node} is something else. */
    public Node.Mapping mapping(Node node, String what) {
        if (node instanceof Node.Mapping m) return m;
        error(node.origin(), what + " must be a mapping");
        return null;
    }

    public List<Node> sequence(Node node, String what) {
        if (node instanceof Node.Sequence s) return s.items();
        error(node.origin(), what + " must be a list");
        return List.of();
    }

    /** The text of a non-null scalar, or null (with an error). */
    public String string(Node node, String what) {
        if (node instanceof Node.Scalar s && !s.isNull()) return s.text();
        error(node.origin(), what + " must be a " + (node instanceof Node.Scalar ? "non-empty value" : "single value"));
        return null;
    }

    public boolean bool(Node node, String what, boolean fallback) {
        String s = string(node, what);
        if (s == null) return fallback;
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        error(node.origin(), what + " must be true or false, not " + s);
        return fallback;
    }

    /**
     * The value of a scalar the schema has accepted as an integer: YAML may write one as 8080, +8080, 8080.0 or 8.08e3
     * (JSON Schema counts a number without a fraction as an integer).
     */
    public static long integer(String yamlText) {
        return new java.math.BigDecimal(yamlText.strip()).longValueExact();
    }
}
