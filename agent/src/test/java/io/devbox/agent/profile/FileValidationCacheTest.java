package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.devbox.agent.profile.Fixtures.host;
import static io.devbox.agent.profile.Fixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileValidationCacheTest {
    @TempDir
    Path dir;

    private static final ProfileFile VALID = profile("profiles/a.yaml", "a", "spec:\n  sysctl:\n    vm.swappiness: 10\n");
    // valid YAML, but the schema forbids a boolean: only schema validation can reject it
    private static final ProfileFile SCHEMA_INVALID = profile("profiles/a.yaml", "a", "spec:\n  sysctl:\n    vm.swappiness: true\n");

    /** Records what the loader asks, to see whether it validated. */
    private static final class Recording implements ValidationCache {
        final ValidationCache inner;
        final List<String> asked = new ArrayList<>();
        final List<String> remembered = new ArrayList<>();

        Recording(ValidationCache inner) {
            this.inner = inner;
        }

        @Override
        public boolean knownValid(String key) {
            asked.add(key);
            return inner.knownValid(key);
        }

        @Override
        public void remember(String key) {
            remembered.add(key);
            inner.remember(key);
        }
    }

    @Test
    void aValidFileIsRememberedAndNotValidatedAgain() throws Exception {
        Path file = dir.resolve("state/validated");
        Recording first = new Recording(new FileValidationCache(file));
        new ProfileLoader(first).load(List.of(VALID), host("h", Map.of()), RepoFiles.NONE);
        assertThat(first.remembered).as("the file's shape, and the composition for this box").hasSize(2);
        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(first.remembered);

        // a fresh process reads the file and knows the key
        Recording second = new Recording(new FileValidationCache(file));
        new ProfileLoader(second).load(List.of(VALID), host("h", Map.of()), RepoFiles.NONE);
        assertThat(second.asked).containsExactlyElementsOf(first.remembered);
        assertThat(second.remembered).isEmpty();
    }

    @Test
    void aKnownKeySkipsSchemaValidation() throws Exception {
        // prove the skip: remember the key of a schema-invalid file; the loader then accepts it unvalidated
        Path file = dir.resolve("validated");
        Recording probe = new Recording(ValidationCache.NONE);
        ProfileException invalid = org.assertj.core.api.Assertions.catchThrowableOfType(ProfileException.class,
                () -> new ProfileLoader(probe).parse(List.of(SCHEMA_INVALID)));
        assertThat(invalid.errors()).singleElement().extracting(ProfileError::message).asString().contains("got boolean");
        new FileValidationCache(file).remember(probe.asked.get(0));
        List<Profile> ps = new ProfileLoader(new FileValidationCache(file)).parse(List.of(SCHEMA_INVALID));
        assertThat(ps).extracting(Profile::name).containsExactly("a");
    }

    @Test
    void aChangedFileIsValidatedAgain() throws Exception {
        Path file = dir.resolve("validated");
        new ProfileLoader(new FileValidationCache(file)).parse(List.of(VALID));
        assertThatThrownBy(() -> new ProfileLoader(new FileValidationCache(file)).parse(List.of(SCHEMA_INVALID)))
                .isInstanceOf(ProfileException.class)
                .hasMessage("profiles/a.yaml:7:20: spec.sysctl.vm.swappiness: expected integer or string, got boolean");
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void aCorruptCacheFileIsTolerated() throws Exception {
        Path file = dir.resolve("validated");
        Files.write(file, new byte[]{(byte) 0xFF, 0, 'x', '\n', (byte) 0xC3});
        assertThatThrownBy(() -> new ProfileLoader(new FileValidationCache(file)).parse(List.of(SCHEMA_INVALID)))
                .isInstanceOf(ProfileException.class);
        new ProfileLoader(new FileValidationCache(file)).parse(List.of(VALID));
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertThat(lines).singleElement().asString().matches("[0-9a-f]{64}");
    }

    @Test
    void aCacheFileThatCannotBeWrittenIsIgnored() throws IOException {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        FileValidationCache cache = new FileValidationCache(notADir.resolve("validated"));
        cache.remember("a".repeat(64));
        assertThat(cache.knownValid("a".repeat(64))).isTrue();
        assertThat(new FileValidationCache(notADir.resolve("validated")).knownValid("a".repeat(64))).isFalse();
    }

    @Test
    void theCacheKeepsTheNewestKeysOnly() throws IOException {
        Path file = dir.resolve("validated");
        FileValidationCache cache = new FileValidationCache(file);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < FileValidationCache.MAX_KEYS + 5; i++) keys.add(String.format("%064x", i));
        cache.rememberAll(keys);
        FileValidationCache reread = new FileValidationCache(file);
        assertThat(reread.knownValid(keys.get(0))).isFalse();
        assertThat(reread.knownValid(keys.get(keys.size() - 1))).isTrue();
        assertThat(Files.readAllLines(file)).hasSize(FileValidationCache.MAX_KEYS);
    }
}
