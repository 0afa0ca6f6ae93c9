package io.devbox.agent.profile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Small helpers to write profiles in tests. */
final class Fixtures {
    private Fixtures() {
    }

    static ProfileFile file(String path, String text) {
        return new ProfileFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete profile; {@code rest} is appended verbatim (selector, priority, spec...). Header is 4 lines. */
    static ProfileFile profile(String path, String name, String rest) {
        return file(path, "apiVersion: devbox/v1\nkind: Profile\nmetadata:\n  name: " + name + "\n" + rest);
    }

    static HostIdentity host(String hostname, Map<String, String> labels) {
        return new HostIdentity(hostname, labels, "dev", "/home/dev");
    }

    static List<String> rendered(ProfileException e) {
        return e.errors().stream().map(ProfileError::render).toList();
    }
}
