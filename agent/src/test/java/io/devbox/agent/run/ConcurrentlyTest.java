package io.devbox.agent.run;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrentlyTest {
    @Test
    void aFailureOnTheCallersThreadIsReportedOnlyOnceTheOtherStepsAreOver() throws InterruptedException {
        CountDownLatch callerFailed = new CountDownLatch(1);
        AtomicBoolean otherDone = new AtomicBoolean();
        Concurrently.Step slow = () -> {
            try {
                // still writing when the caller's step has failed
                callerFailed.await(10, TimeUnit.SECONDS);
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            otherDone.set(true);
        };
        Concurrently.Step failing = () -> {
            callerFailed.countDown();
            throw new UncheckedIOException(new IOException("disk full"));
        };

        assertThatThrownBy(() -> Concurrently.runAll(List.of(failing, slow), "test-step"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(otherDone).isTrue();
    }

    @Test
    void anInterruptWhileWaitingNeitherCutsTheWaitShortNorIsLost() throws IOException {
        AtomicBoolean otherDone = new AtomicBoolean();
        Concurrently.Step other = () -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            otherDone.set(true);
        };
        Thread caller = Thread.currentThread();
        Concurrently.Step interruptsItsCaller = caller::interrupt;

        Concurrently.runAll(List.of(interruptsItsCaller, other), "test-step");

        assertThat(otherDone).isTrue();
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void noStepsIsNothingToDo() throws IOException {
        Concurrently.runAll(List.of(), "test-step");
    }
}
