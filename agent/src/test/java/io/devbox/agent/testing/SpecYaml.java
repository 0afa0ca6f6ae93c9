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

/** Test support: a YAML snippet as the profile model's {@link Node}s, with real 1-based positions. */
public final class SpecYaml {
    private SpecYaml() {
    }

    public static Node parse(String file, String yaml) {
        var node = new Compose(LoadSettings.builder().build()).composeString(yaml)
                .orElseThrow(() -> new IllegalArgumentException("empty YAML"));
        return convert(file, node);
    }

    private static Node convert(String file, org.snakeyaml.engine.v2.nodes.Node n) {
        Origin origin = origin(file, n);
        if (n instanceof ScalarNode s) {
            return new Node.Scalar(s.getTag().equals(Tag.NULL) ? null : s.getValue(), origin);
        }
        if (n instanceof SequenceNode seq) {
            List<Node> items = new ArrayList<>();
            seq.getValue().forEach(i -> items.add(convert(file, i)));
            return new Node.Sequence(items, origin);
        }
        MappingNode m = (MappingNode) n;
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Origin> keys = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            entries.put(key, convert(file, t.getValueNode()));
            keys.put(key, origin(file, t.getKeyNode()));
        }
        return new Node.Mapping(entries, keys, origin);
    }

    private static Origin origin(String file, org.snakeyaml.engine.v2.nodes.Node n) {
        return n.getStartMark().map(mk -> new Origin(file, mk.getLine() + 1, mk.getColumn() + 1)).orElse(Origin.ofFile(file));
    }
}
