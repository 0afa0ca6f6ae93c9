package io.devbox.agent.watch;

import io.devbox.agent.config.ReportPush;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Facts;
import io.devbox.agent.report.RunInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportPublisherTest {
    @TempDir
    Path state;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<String> pushed = new ArrayList<>();
    private boolean failing;
    private final ReportPublisher.Pusher pusher = runId -> {
        if (failing) throw new java.io.IOException("connection refused");
        pushed.add(runId);
        return "refs/devbox/reports/ab at " + runId;
    };

    private static RunInfo run(String id, String commit, String... drift) {
        List<ResourcePlan> resources = new ArrayList<>();
        resources.add(new ResourcePlan("sysctl[ok]", "sysctl", "ok", Status.OK, List.of(), null, null, List.of(), null, List.of(), 1));
        for (String d : drift) resources.add(new ResourcePlan(d, "sysctl", d, Status.DRIFT, List.of(), null, null, List.of(), null, List.of(), 2));
        return new RunInfo(id, "watch", "2026-12-01T10:00:00Z", 5, new RunInfo.SourceInfo("/r", null, commit, null),
                new Facts("h", "b", false, false, "u", "/home/u", true), List.of("base"), "d", resources, List.of());
    }

    /** One loop iteration after a cycle that recorded {@code r}: what the watch loop does. */
    private ReportPublisher.Outcome cycle(ReportPublisher p, RunInfo r) {
        p.recorded(r);
        return tick(p, r);
    }

    private ReportPublisher.Outcome tick(ReportPublisher p, RunInfo r) {
        return p.pushIfDue(pusher, r.id(), ReportPublisher.key(r));
    }

    private ReportPublisher onChange() {
        // a 0.5 random: half the spread (half the 60 s interval), heartbeats exactly as configured
        return new ReportPublisher(new ReportPush(ReportPush.Mode.ON_CHANGE, null, Duration.ofHours(1)), Duration.ofSeconds(60),
                state, clock, () -> 0.5);
    }

    @Test
    void onChangePushesAChangedReportOnceAfterARandomPartOfTheSpread() {
        ReportPublisher p = onChange();
        RunInfo first = run("r1", "c1");
        assertThat(cycle(p, first).attempted()).isFalse();
        assertThat(p.nextDue()).isEqualTo(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        ReportPublisher.Outcome o = tick(p, first);
        assertThat(o.success()).isTrue();
        assertThat(o.message()).isEqualTo("report pushed: refs/devbox/reports/ab at r1");
        assertThat(pushed).containsExactly("r1");

        // the same summary, commit, drift and errors: nothing more until the heartbeat
        for (int i = 2; i < 30; i++) {
            clock.advance(Duration.ofSeconds(60));
            assertThat(cycle(p, run("r" + i, "c1")).attempted()).isFalse();
        }
        assertThat(pushed).containsExactly("r1");

        // a new drift set is a change
        clock.advance(Duration.ofSeconds(60));
        RunInfo drifted = run("r30", "c1", "sysctl[x]");
        cycle(p, drifted);
        clock.advance(Duration.ofSeconds(30));
        assertThat(tick(p, drifted).success()).isTrue();
        // and so is a new commit
        RunInfo moved = run("r31", "c2", "sysctl[x]");
        cycle(p, moved);
        clock.advance(Duration.ofSeconds(30));
        tick(p, moved);
        assertThat(pushed).containsExactly("r1", "r30", "r31");
    }

    @Test
    void theHeartbeatPushesAnUnchangedReportAndARestartRemembersTheLastPush() {
        ReportPublisher p = onChange();
        RunInfo r = run("r1", "c1");
        cycle(p, r);
        clock.advance(Duration.ofSeconds(30));
        tick(p, r);
        assertThat(p.nextDue()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(59));
        assertThat(tick(p, run("r2", "c1")).attempted()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(tick(p, run("r2", "c1")).success()).isTrue();
        assertThat(pushed).containsExactly("r1", "r2");

        // a restarted daemon with the same state pushes neither at once nor before the heartbeat
        ReportPublisher restarted = onChange();
        assertThat(cycle(restarted, run("r3", "c1")).attempted()).isFalse();
        assertThat(restarted.nextDue()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void aFailedPushIsRetriedWithBackoffAndNeverLost() {
        ReportPublisher p = onChange();
        RunInfo r = run("r1", "c1", "sysctl[x]");
        cycle(p, r);
        clock.advance(Duration.ofSeconds(30));
        failing = true;
        ReportPublisher.Outcome o = tick(p, r);
        assertThat(o.attempted()).isTrue();
        assertThat(o.success()).isFalse();
        assertThat(o.message()).startsWith("report push failed (1 in a row, next try in 2m): connection refused");
        clock.advance(Duration.ofSeconds(60));
        assertThat(tick(p, r).attempted()).isFalse();
        clock.advance(Duration.ofSeconds(60));
        assertThat(tick(p, r).message()).startsWith("report push failed (2 in a row, next try in 4m)");
        failing = false;
        clock.advance(Duration.ofMinutes(4));
        assertThat(tick(p, r).success()).isTrue();
        assertThat(pushed).containsExactly("r1");
    }

    @Test
    void everyPushesPeriodicallyAndNeverDoesNot() {
        ReportPublisher every = new ReportPublisher(new ReportPush(ReportPush.Mode.EVERY, Duration.ofMinutes(10), null),
                Duration.ofSeconds(60), state, clock, () -> 0.5);
        RunInfo r = run("r1", "c1");
        every.recorded(r);
        assertThat(tick(every, r).success()).isTrue();
        clock.advance(Duration.ofMinutes(9));
        assertThat(tick(every, r).attempted()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(tick(every, r).success()).isTrue();

        ReportPublisher never = new ReportPublisher(ReportPush.NEVER, Duration.ofSeconds(60), state, clock, () -> 0.5);
        never.recorded(run("r9", "c9", "sysctl[y]"));
        assertThat(never.nextDue()).isNull();
        clock.advance(Duration.ofDays(3));
        assertThat(tick(never, run("r9", "c9", "sysctl[y]")).attempted()).isFalse();
        assertThat(pushed).containsExactly("r1", "r1");
    }

    @Test
    void nothingIsPushedBeforeACycleRecordedARun() {
        ReportPublisher every = new ReportPublisher(new ReportPush(ReportPush.Mode.EVERY, Duration.ofMinutes(10), null),
                Duration.ofSeconds(60), state, clock, () -> 0.5);
        assertThat(every.pushIfDue(pusher, null, null).attempted()).isFalse();
        assertThat(every.nextDue()).isEqualTo(clock.instant().plusSeconds(60));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
