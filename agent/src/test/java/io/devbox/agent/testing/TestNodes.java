package io.devbox.agent.testing;

import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec sections for kind tests, parsed from YAML with real positions (as the profile loader, on another branch, will
 * deliver them; no variable expansion or composition here).
 */
public final class TestNodes {
    private TestNodes() {
    }

    public static Node yaml(String file, String yaml) {
        var root = new Compose(LoadSettings.builder().build()).composeString(yaml).orElseThrow();
        return convert(file, root);
    }

    private static Origin origin(String file, org.snakeyaml.engine.v2.nodes.Node n) {
        return n.getStartMark().map(m -> new Origin(file, m.getLine() + 1, m.getColumn() + 1)).orElse(Origin.ofFile(file));
    }

    private static Node convert(String file, org.snakeyaml.engine.v2.nodes.Node n) {
        if (n instanceof ScalarNode s) {
            return new Node.Scalar(s.getTag().equals(Tag.NULL) ? null : s.getValue(), origin(file, n));
        }
        if (n instanceof SequenceNode s) {
            List<Node> items = new ArrayList<>();
            for (var item : s.getValue()) items.add(convert(file, item));
            return new Node.Sequence(items, origin(file, n));
        }
        MappingNode m = (MappingNode) n;
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Origin> keys = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            entries.put(k, convert(file, t.getValueNode()));
            keys.put(k, origin(file, t.getKeyNode()));
        }
        return new Node.Mapping(entries, keys, origin(file, n));
    }
}
