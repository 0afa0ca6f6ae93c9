package io.devbox.agent.run;

import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.source.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadTest {
    private static Session.Loaded loaded() {
        return new Session.Loaded(new Snapshot("repo", null, "c0ffee", List.of(), RepoFiles.NONE),
                new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE), "digest");
    }

    @Test
    void aStartedReadingRunsOnItsOwnThreadBeforeItIsAskedFor() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CountDownLatch read = new CountDownLatch(1);
        Session.Loaded value = loaded();
        try (ReadAhead ahead = ReadAhead.started(() -> {
            reader.set(Thread.currentThread());
            read.countDown();
            return value;
        })) {
            assertThat(read.await(10, TimeUnit.SECONDS)).as("read before anyone asked").isTrue();
            assertThat(ahead.get()).isSameAs(value);
        }
        assertThat(reader.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void whatTheReadingThrewIsThrownToTheRunAsItWas() {
        ProfileException refused = new ProfileException(List.of(new ProfileError(Origin.ofFile("profiles/a.yaml"), "bad")));
        try (ReadAhead ahead = ReadAhead.started(() -> {
            throw refused;
        })) {
            assertThatThrownBy(ahead::get).isSameAs(refused);
        }
        try (ReadAhead ahead = ReadAhead.started(() -> {
            throw new IllegalStateException("a kind's bug");
        })) {
            assertThatThrownBy(ahead::get).isInstanceOf(IllegalStateException.class).hasMessage("a kind's bug");
        }
    }

    @Test
    void aRunThatNeverAskedStillWaitsForTheReadingToEnd() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> reader = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            ReadAhead ahead = ReadAhead.started(() -> {
                reader.set(Thread.currentThread());
                release.await();
                return loaded();
            });
            ahead.close();
        });
        waiter.start();
        try {
            Thread.sleep(100);
            assertThat(waiter.isAlive()).as("close() returns only once the reading ended").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            release.countDown();
        }
        assertThat(joined(waiter)).isTrue();
        assertThat(joined(reader.get())).isTrue();
    }

    @Test
    void onDemandReadsInTheAskingThreadWhenAsked() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        try (ReadAhead ahead = ReadAhead.onDemand(() -> {
            reader.set(Thread.currentThread());
            return loaded();
        })) {
            assertThat(reader.get()).as("nothing read before it is asked for").isNull();
            ahead.get();
        }
        assertThat(reader.get()).isSameAs(Thread.currentThread());
    }

    private static boolean joined(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
