package io.devbox.agent.kinds.testing;

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

/** Builds the profile {@link Node} model with real positions from a YAML snippet (what the loader will give kinds). */
public final class TestYaml {
    private TestYaml() {
    }

    /** The node of a YAML document, positions in {@code file}. */
    public static Node parse(String file, String yaml) {
        var root = new Compose(LoadSettings.builder().build()).composeString(yaml).orElseThrow();
        return convert(file, root);
    }

    private static Node convert(String file, org.snakeyaml.engine.v2.nodes.Node n) {
        Origin origin = n.getStartMark().map(m -> new Origin(file, m.getLine() + 1, m.getColumn() + 1)).orElse(Origin.ofFile(file));
        if (n instanceof ScalarNode s) return new Node.Scalar(Tag.NULL.equals(s.getTag()) ? null : s.getValue(), origin);
        if (n instanceof SequenceNode seq) {
            List<Node> items = new ArrayList<>();
            for (var i : seq.getValue()) items.add(convert(file, i));
            return new Node.Sequence(items, origin);
        }
        MappingNode m = (MappingNode) n;
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Origin> keys = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            ScalarNode k = (ScalarNode) t.getKeyNode();
            entries.put(k.getValue(), convert(file, t.getValueNode()));
            keys.put(k.getValue(), convert(file, k).origin());
        }
        return new Node.Mapping(entries, keys, origin);
    }
}
