package io.devbox.agent.profile;

import com.networknt.schema.path.NodePath;

/**
 * Where a JSON Schema error's instance location points in a positioned YAML tree: the node there (null when the
 * path leaves the tree), the mapping that holds it and its key (for errors located at the parent's key), and the
 * dotted path as shown in messages ({@code spec.sysctl.vm.swappiness}, {@code ports[0]}).
 */
public record InstanceLocation(Node node, Node.Mapping parent, String lastKey, String path) {

    public static InstanceLocation resolve(Node root, NodePath loc) {
        return resolve(root, loc, "");
    }

    /** @param prefix the dotted path of {@code root} itself in the profile ({@code spec} for a composed spec), or "" */
    public static InstanceLocation resolve(Node root, NodePath loc, String prefix) {
        Node node = root;
        Node.Mapping parent = null;
        String lastKey = null;
        StringBuilder path = new StringBuilder(prefix);
        for (int i = 0; i < loc.getNameCount() && node != null; i++) {
            Object el = loc.getElement(i);
            if (el instanceof Integer idx && node instanceof Node.Sequence seq) {
                path.append('[').append(idx).append(']');
                node = idx < seq.items().size() ? seq.items().get(idx) : null;
                parent = null;
            } else if (node instanceof Node.Mapping m) {
                lastKey = String.valueOf(el);
                if (path.length() > 0) path.append('.');
                path.append(lastKey);
                parent = m;
                node = m.get(lastKey);
            } else {
                break;
            }
        }
        return new InstanceLocation(node, parent, lastKey, path.toString());
    }
}
