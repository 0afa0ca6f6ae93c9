package io.devbox.agent.watch;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleTest {
    private static final Duration MINUTE = Duration.ofSeconds(60);

    @Test
    void jitterStaysWithinTenPercent() {
        assertThat(Schedule.jittered(MINUTE, 0.0)).isEqualTo(Duration.ofSeconds(54));
        assertThat(Schedule.jittered(MINUTE, 0.5)).isEqualTo(MINUTE);
        assertThat(Schedule.jittered(MINUTE, 0.999999)).isBetween(Duration.ofMillis(65_999), Duration.ofSeconds(66));
    }

    @Test
    void backoffDoublesIsCappedAndResets() {
        assertThat(Schedule.backoff(MINUTE, 0, 0.5)).isEqualTo(MINUTE);
        assertThat(Schedule.backoff(MINUTE, 1, 0.5)).isEqualTo(Duration.ofMinutes(2));
        assertThat(Schedule.backoff(MINUTE, 3, 0.5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(Schedule.backoff(MINUTE, 4, 0.5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(Schedule.backoff(MINUTE, 60, 0.5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(Schedule.backoff(Duration.ofSeconds(1), 10, 0.5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(Schedule.backoff(Duration.ofHours(1), 5, 0.5)).as("never below the interval").isEqualTo(Duration.ofHours(1));
    }

    @Test
    void wakeupReturnsEarlyOnRequestsAndOtherwiseSleeps() throws Exception {
        Wakeup w = new Wakeup();
        long t0 = System.nanoTime();
        w.await(50);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(49);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // test thread
            }
            w.requestCycle();
        });
        t.start();
        t0 = System.nanoTime();
        w.await(10_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        assertThat(w.takeCycleRequest()).isTrue();
        assertThat(w.takeCycleRequest()).isFalse();
        w.requestStop("SIGTERM");
        w.await(10_000);
        assertThat(w.stopRequested()).isTrue();
        assertThat(w.stopReason()).isEqualTo("SIGTERM");
        t.join();
    }
}
