package io.devbox.agent.profile;

import com.networknt.schema.path.NodePath;
import tools.jackson.databind.JsonNode;

/**
 * One schema violation as the agent reports it: networknt's error, or the single type error that stands for a failed
 * {@code anyOf} whose every branch wanted another type (see {@link AnyOfBranches}).
 *
 * @param keyword     the failed keyword ({@code type}, {@code pattern}, ...)
 * @param instance    where in the validated document
 * @param property    the property a key-level keyword names (additionalProperties, propertyNames, required), else null
 * @param pointer     the JSON pointer of the keyword in the schema (the key of a custom message), or null
 * @param schemaValue the keyword's value in the schema ({@code "integer"}, {@code ["integer","string"]}, a pattern)
 * @param value       the offending value
 * @param standard    networknt's own message
 * @param arguments   networknt's message arguments
 */
public record SchemaViolation(String keyword, NodePath instance, String property, String pointer, JsonNode schemaValue,
                       JsonNode value, String standard, Object[] arguments) {

    static SchemaViolation of(com.networknt.schema.Error e) {
        String pointer = e.getSchemaLocation() == null || e.getSchemaLocation().getFragment() == null ? null
                : e.getSchemaLocation().getFragment().toString();
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        // a false schema (properties: {file: false}) fails as a pseudo-keyword "false" below it: its message is keyed
        // by the schema's own pointer
        if (keyword.equals("false") && pointer != null && pointer.endsWith("/false")) pointer = pointer.substring(0, pointer.length() - 6);
        return new SchemaViolation(keyword, e.getInstanceLocation(), e.getProperty(),
                pointer, e.getSchemaNode(), e.getInstanceNode(), e.getMessage(), e.getArguments());
    }
}
