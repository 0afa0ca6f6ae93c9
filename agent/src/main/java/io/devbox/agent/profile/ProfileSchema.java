package io.devbox.agent.profile;

import io.devbox.agent.host.Json;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profile schema of a set of kinds: the envelope plus one fragment per kind ({@link SchemaAssembly}), with the
 * agent's own messages keyed by schema location. Assembled and compiled only when something must be validated: an
 * unchanged repository is checked against {@link #digest()} alone, which reads the fragments' bytes but parses nothing.
 */
public final class ProfileSchema {
    private final List<SchemaSection> sections;
    private byte[] digest;
    private SchemaAssembly.Assembled assembled;
    private SchemaValidator validator;

    private ProfileSchema(List<SchemaSection> sections) {
        this.sections = List.copyOf(sections);
    }

    /** The schema of profiles whose {@code spec} may hold exactly these sections, in this order. */
    public static ProfileSchema of(List<SchemaSection> sections) {
        return new ProfileSchema(sections);
    }

    public List<SchemaSection> sections() {
        return sections;
    }

    /** The sections' keys under {@code spec}, in order. */
    public List<String> specKeys() {
        return sections.stream().map(SchemaSection::specKey).toList();
    }

    /** The assembled schema as the text of {@code schema/profile.schema.json} (JSON Schema 2020-12, pretty-printed). */
    public String json() {
        return Json.prettyString(assembled().schema()) + "\n";
    }

    /** The message {@code agent validate} shows for the keyword at this JSON pointer of the schema, if it has its own. */
    public String message(String pointer) {
        return assembled().messages().get(pointer);
    }

    /** Every custom message by JSON pointer (for tests that check each points at a keyword of the schema). */
    public Map<String, String> messages() {
        return assembled().messages();
    }

    synchronized JsonNode tree() {
        return assembled().schema();
    }

    synchronized SchemaValidator validator() {
        if (validator == null) validator = new SchemaValidator(this);
        return validator;
    }

    /**
     * SHA-256 over the envelope, each section's key, fragment and messages: what a validation depends on, without
     * parsing anything (for the validation cache). The build writes the standard kinds' digest into the jar
     * ({@value #BUILT_DIGEST}, see {@link #builtDigestText()}); a schema of the same sections uses it instead of reading
     * two dozen resources on every run.
     */
    synchronized byte[] digest() {
        if (digest == null) digest = builtDigest().orElseGet(this::computeDigest);
        return digest.clone();
    }

    /** The classpath resource that holds the digest the build computed (agent/pom.xml, SchemaDigestFile). */
    public static final String BUILT_DIGEST = "/io/devbox/agent/profile/schema.digest";

    /** The digest read from every fragment and message resource of this schema's sections. */
    public byte[] computeDigest() {
        MessageDigest d = sha256();
        d.update(SchemaAssembly.bytes(SchemaAssembly.ENVELOPE));
        update(d, SchemaAssembly.optionalBytes(new SchemaSection("", SchemaAssembly.ENVELOPE).messagesResource()));
        for (SchemaSection s : sections) {
            d.update((s.specKey() + "\0").getBytes(StandardCharsets.UTF_8));
            d.update(SchemaAssembly.bytes(s.resource()));
            update(d, SchemaAssembly.optionalBytes(s.messagesResource()));
        }
        return d.digest();
    }

    /** The text of {@value #BUILT_DIGEST} for this schema: its sections (what the digest is of), then the digest. */
    public String builtDigestText() {
        return sectionsLine() + "\n" + HexFormat.of().formatHex(computeDigest()) + "\n";
    }

    /** The digest the build wrote, when it was computed for exactly these sections. */
    public Optional<byte[]> builtDigest() {
        byte[] raw = SchemaAssembly.optionalBytes(BUILT_DIGEST);
        if (raw == null) return Optional.empty();
        String[] lines = new String(raw, StandardCharsets.UTF_8).split("\n");
        if (lines.length != 2 || !lines[0].equals(sectionsLine()) || lines[1].length() != 64) return Optional.empty();
        try {
            return Optional.of(HexFormat.of().parseHex(lines[1]));
        } catch (IllegalArgumentException notHex) {
            return Optional.empty();
        }
    }

    private String sectionsLine() {
        StringBuilder line = new StringBuilder(SchemaAssembly.ENVELOPE);
        for (SchemaSection s : sections) line.append(' ').append(s.specKey()).append('=').append(s.resource());
        return line.toString();
    }

    private static void update(MessageDigest d, byte[] optional) {
        d.update(optional == null ? new byte[]{0} : optional);
        d.update((byte) 0);
    }

    private synchronized SchemaAssembly.Assembled assembled() {
        if (assembled == null) assembled = SchemaAssembly.assemble(sections);
        return assembled;
    }

    /** The kinds' keys known under {@code spec}, sorted (for "unknown resource kind" messages). */
    List<String> knownKinds() {
        List<String> keys = new ArrayList<>(specKeys());
        keys.sort(null);
        return keys;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
