package io.devbox.agent.run;

import io.devbox.agent.kinds.wsl.PersistSysctls;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.kinds.sysctl.SysctlObserved;
import io.devbox.agent.engine.InternalFault;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.sysctl.SysctlReconciler;
import io.devbox.agent.kinds.sysctl.SysctlSetting;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.testing.ForwardingReconciler;
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

/**
 * A bug in a kind (an unexpected RuntimeException) during a real run: its resource is an "internal error" in the plan
 * and the run record, the other resources go on, and the session tells its fault listener (what {@code --debug}
 * prints) with the exception and its stack.
 */
class InternalFaultTest {
    @TempDir
    Path tmp;

    /** The sysctl kind with a bug: probing one key throws. */
    static final class BuggySysctl extends ForwardingReconciler<SysctlSetting, SysctlObserved> {
        BuggySysctl() {
            super(new SysctlReconciler(PersistSysctls::configured));
        }

        @Override
        public SysctlObserved probe(SysctlSetting desired, Host host) throws ResourceException {
            if (desired.id().equals("sysctl[net.fake.bug]")) throw new IllegalStateException("index 3 out of bounds");
            return kind.probe(desired, host);
        }
    }

    @Test
    void aKindsBugIsAnInternalErrorOfItsResourceAndReachesTheFaultListener() throws Exception {
        Path root = tmp.resolve("box");
        for (String k : List.of("ok", "bug")) {
            Path f = root.resolve("proc/sys/net/fake/" + k);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "1\n");
        }
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("profiles"));
        Files.writeString(repo.resolve("profiles/p.yaml"),
                "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: p}\nspec:\n  sysctl:\n    net.fake.ok: 2\n    net.fake.bug: 2\n");
        AgentOptions o = new AgentOptions(repo.toString(), null, "profiles", true, root, tmp.resolve("state"), null, null,
                "dev-1", Map.of(), "dev", Duration.ofSeconds(5), tmp);
        List<InternalFault> told = new ArrayList<>();
        Session session = Session.open(o, System.getenv(), Clock.systemUTC(), new KindRegistry(List.of(BuggySysctl::new), io.devbox.agent.kinds.Kinds.schema()))
                .onInternalFault(told::add);

        RunInfo plan = session.plan("plan", Set.of());
        ResourcePlan bug = plan.resources().stream().filter(r -> r.id().equals("sysctl[net.fake.bug]")).findFirst().orElseThrow();
        assertThat(bug.status()).isEqualTo(Status.ERROR);
        assertThat(bug.reason()).isEqualTo("internal error: IllegalStateException: index 3 out of bounds");
        assertThat(plan.resources()).filteredOn(r -> r.id().equals("sysctl[net.fake.ok]")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(Status.CHANGE));
        assertThat(told).singleElement().satisfies(f -> {
            assertThat(f.resourceId()).isEqualTo("sysctl[net.fake.bug]");
            assertThat(f.during()).isEqualTo("probe");
            assertThat(f.error().getStackTrace()).as("the stack, for --debug").isNotEmpty();
        });
        assertThat(Files.readString(session.runRecords().list().get(0))).contains("internal error: IllegalStateException");

        told.clear();
        RunInfo apply = session.apply(Set.of(), Optional.empty(), () -> false).run();
        assertThat(Files.readString(root.resolve("proc/sys/net/fake/ok"))).as("the other resource converged").isEqualTo("2\n");
        assertThat(apply.resources()).filteredOn(r -> r.id().equals("sysctl[net.fake.bug]")).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("internal error:"));
        assertThat(told).extracting(InternalFault::during).containsExactly("probe");
        assertThat(Session.failed(apply)).isTrue();
    }
}
