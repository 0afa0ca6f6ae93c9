package io.devbox.agent.kinds.example;

import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.KindServices;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15's "done when": a kind added as one package plus one registration line (here: the standard list plus
 * {@link ExampleKind#DESCRIPTOR}, as kinds/Kinds would list it) is validated against its own schema fragment, with its
 * own messages, and planned and applied through the code path of the command line ({@link Session}, as
 * {@code cli.Sessions} opens it); nothing in engine, cli, run or profile names it.
 */
class ExampleKindTest {
    private static final String HEADER = "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: p}\n";

    @TempDir
    Path tmp;

    private static KindRegistry withExample() {
        List<KindDescriptor> kinds = new ArrayList<>(Kinds.all());
        kinds.add(ExampleKind.DESCRIPTOR);
        return KindRegistry.of(kinds, KindServices.standard());
    }

    private Session session(KindRegistry kinds, String spec) throws Exception {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("profiles"));
        Files.writeString(repo.resolve("profiles/p.yaml"), HEADER + spec);
        Path root = tmp.resolve("box");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000:Dev:/home/dev:/bin/bash\n");
        Files.createDirectories(root.resolve("home/dev"));
        AgentOptions o = new AgentOptions(repo.toString(), null, "profiles", true, root, tmp.resolve("state"), null, null,
                "dev-1", Map.of(), "dev", Duration.ofSeconds(5), tmp);
        return Session.open(o, Map.of(), Clock.systemUTC(), kinds);
    }

    @Test
    void aRegisteredKindIsPlannedAppliedAndThenConverged() throws Exception {
        String spec = "spec:\n  example:\n    greetings:\n      hello.txt: \"hello, ${user}\"\n";
        RunInfo plan = session(withExample(), spec).plan("plan", Set.of());
        ResourcePlan hello = only(plan, "greeting[hello.txt]");
        assertThat(hello.status()).isEqualTo(Status.CHANGE);
        assertThat(hello.changes()).singleElement().satisfies(c -> {
            assertThat(c.from()).isNull();
            assertThat(c.to()).isEqualTo("hello, dev\n");
        });
        assertThat(hello.origin().line()).isEqualTo(7);

        RunInfo applied = session(withExample(), spec).apply(Set.of("greeting"), Optional.empty(), () -> false).run();
        assertThat(only(applied, "greeting[hello.txt]").status()).isEqualTo(Status.OK);
        assertThat(Files.readString(tmp.resolve("box/etc/example/hello.txt"))).isEqualTo("hello, dev\n");

        RunInfo again = session(withExample(), spec).plan("plan", Set.of());
        assertThat(only(again, "greeting[hello.txt]").status()).isEqualTo(Status.OK);
        assertThat(only(again, "greeting[hello.txt]").changes()).isEmpty();
    }

    @Test
    void itsFragmentChecksEachFileWithItsOwnMessages() throws Exception {
        String spec = "spec:\n  example:\n    greetings:\n      Hello.TXT: hi\n      bye.txt: \"two\\nlines\"\n";
        assertThat(errors(() -> session(withExample(), spec).validate())).containsExactly(
                "profiles/p.yaml:7:7: spec.example.greetings.Hello.TXT: a greeting file is NAME.txt: lowercase letters, digits and '-', then .txt",
                "profiles/p.yaml:8:16: spec.example.greetings.bye.txt: a greeting is one line of text");
    }

    @Test
    void itsFragmentStatesWhatTheCompositionNeeds() throws Exception {
        assertThatThrownBy(() -> session(withExample(), "spec:\n  example: {}\n").validate())
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("profiles/p.yaml:5:3: spec.example: missing required field 'greetings' (in the spec composed from p)");
    }

    @Test
    void withoutTheRegistrationLineTheSectionIsAnUnknownKind() throws Exception {
        assertThatThrownBy(() -> session(Kinds.registry(), "spec:\n  example: {greetings: {a.txt: hi}}\n").validate())
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("spec.example: unknown resource kind 'example'");
    }

    private static List<String> errors(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (ProfileException e) {
            return e.errors().stream().map(io.devbox.agent.profile.ProfileError::render).toList();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        throw new AssertionError("no profile errors");
    }

    private static ResourcePlan only(RunInfo run, String id) {
        assertThat(run.errors()).isEmpty();
        return run.resources().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + run.resources()));
    }
}
