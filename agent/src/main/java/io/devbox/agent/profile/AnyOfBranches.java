package io.devbox.agent.profile;

import com.networknt.schema.path.NodePath;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the errors of a failed {@code anyOf} into what a person needs. The schemas use {@code anyOf} where a value may
 * have one of several types ({@code anyOf: [{type: integer}, {type: string, pattern: ...}]}: strict JSON Schema
 * tooling refuses {@code type: [integer, string]} with type-specific keywords beside it), and networknt reports every
 * branch's errors. When some branch accepts the value's type, only that branch's errors count ({@code "x\ny"}: the
 * pattern, not "expected integer"); when none does, one type error names every type ("expected integer or string,
 * got boolean"). The branches of every such {@code anyOf} have distinct types.
 */
public final class AnyOfBranches {
    /** Keywords whose next evaluation-path segment is a name or an index, not a keyword. */
    private static final Set<String> NAMED = Set.of("properties", "patternProperties", "dependentSchemas", "$defs",
            "anyOf", "oneOf", "allOf", "prefixItems", "dependentRequired");
    /** Keywords that step into a child of the instance. */
    private static final Set<String> DESCENDING = Set.of("properties", "patternProperties", "additionalProperties", "items",
            "prefixItems", "unevaluatedProperties", "unevaluatedItems", "contains");

    private AnyOfBranches() {
    }

    /** An anyOf applied at one place of the instance. */
    private record Site(String evaluationPath, String instance, int depth) {
    }

    /** Where an error sits in one anyOf: its branch, and whether it is that branch's own type error. */
    private record Membership(Site site, int branch, boolean branchType) {
    }

    public static List<SchemaViolation> fold(List<com.networknt.schema.Error> errors) {
        Map<SchemaViolation, List<Membership>> memberships = new LinkedHashMap<>();
        Set<Site> sites = new LinkedHashSet<>();
        for (com.networknt.schema.Error e : errors) {
            List<Membership> ms = memberships(e);
            memberships.put(SchemaViolation.of(e), ms);
            ms.forEach(m -> sites.add(m.site()));
        }
        List<Site> ordered = new ArrayList<>(sites);
        ordered.sort(Comparator.comparingInt(Site::depth));
        Map<SchemaViolation, List<Membership>> alive = new LinkedHashMap<>(memberships);
        List<SchemaViolation> synthesized = new ArrayList<>();
        for (Site site : ordered) {
            Map<Integer, Boolean> typeRejected = new LinkedHashMap<>();
            Map<Integer, JsonNode> branchTypes = new LinkedHashMap<>();
            SchemaViolation any = null;
            for (var e : alive.entrySet()) {
                for (Membership m : e.getValue()) {
                    if (!m.site().equals(site)) continue;
                    any = e.getKey();
                    typeRejected.merge(m.branch(), m.branchType(), Boolean::logicalOr);
                    if (m.branchType()) branchTypes.put(m.branch(), e.getKey().schemaValue());
                }
            }
            if (any == null) continue;
            boolean someTypeFits = typeRejected.containsValue(false);
            alive.entrySet().removeIf(e -> e.getValue().stream().anyMatch(m -> m.site().equals(site)
                    && (!someTypeFits || typeRejected.get(m.branch()))));
            if (!someTypeFits) {
                ArrayNode types = JsonNodeFactory.instance.arrayNode();
                branchTypes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> addTypes(types, t.getValue()));
                NodePath at = any.instance();
                while (at.getNameCount() > depthOf(site.instance())) at = at.getParent();
                synthesized.add(new SchemaViolation("type", at, null, null, types, valueAt(any, at),
                        "expected one of " + types, new Object[0]));
            }
        }
        List<SchemaViolation> out = new ArrayList<>(alive.keySet());
        out.addAll(synthesized);
        return out;
    }

    private static void addTypes(ArrayNode into, JsonNode type) {
        if (type == null) return;
        if (type.isArray()) type.forEach(into::add);
        else into.add(type);
    }

    /** The value the anyOf saw: the error's own value when the error is at the anyOf's place (a branch type error). */
    private static JsonNode valueAt(SchemaViolation v, NodePath at) {
        return v.instance().getNameCount() == at.getNameCount() ? v.value() : null;
    }

    private static int depthOf(String instance) {
        return instance.isEmpty() ? 0 : (int) instance.chars().filter(c -> c == '\u0000').count();
    }

    private static List<Membership> memberships(com.networknt.schema.Error e) {
        NodePath eval = e.getEvaluationPath();
        NodePath inst = e.getInstanceLocation();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < eval.getNameCount(); i++) tokens.add(String.valueOf(eval.getElement(i)));
        List<Membership> out = new ArrayList<>();
        int consumed = 0;
        List<int[]> anyOfs = new ArrayList<>(); // token index of "anyOf", instance segments consumed before it
        for (int i = 0; i < tokens.size(); i++) {
            String k = tokens.get(i);
            if (k.equals("anyOf") && i + 1 < tokens.size() && tokens.get(i + 1).matches("[0-9]{1,9}")) anyOfs.add(new int[]{i, consumed});
            if (DESCENDING.contains(k)) consumed++;
            if (NAMED.contains(k)) i++;
        }
        int total = inst.getNameCount();
        for (int[] a : anyOfs) {
            int index = a[0];
            StringBuilder evalPrefix = new StringBuilder();
            for (int i = 0; i < index; i++) evalPrefix.append('/').append(tokens.get(i));
            StringBuilder instPrefix = new StringBuilder();
            int depth = a[1]; // validation starts at the instance's root
            for (int i = 0; i < depth && i < total; i++) instPrefix.append('\u0000').append(inst.getElement(i));
            int branch = Integer.parseInt(tokens.get(index + 1));
            boolean branchType = tokens.get(tokens.size() - 1).equals("type") && consumedAfter(tokens, index + 2) == 0
                    && tokens.subList(index + 2, tokens.size() - 1).stream().allMatch(t -> t.equals("$ref"));
            out.add(new Membership(new Site(evalPrefix.toString(), instPrefix.toString(), index), branch, branchType));
        }
        return out;
    }

    private static int consumedAfter(List<String> tokens, int from) {
        int n = 0;
        for (int i = from; i < tokens.size(); i++) if (DESCENDING.contains(tokens.get(i))) n++;
        return n;
    }
}
