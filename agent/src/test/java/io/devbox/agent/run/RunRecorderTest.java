package io.devbox.agent.run;

import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.source.Snapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRecorderTest {
    private static final Host HOST = new Host(Path.of("/"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), Path.of("/nonexistent"),
            new Facts("dev-1", "boot", false, false, "dev", "/home/dev", true), null);
    private static final Session.Loaded LOADED = new Session.Loaded(new Snapshot("repo", null, "0123456789abcdef", List.of(), RepoFiles.NONE),
            new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE), "digest");

    /** What a listener was told, in order: "finished" or "aborted", with the thread it was told on. */
    private static final class Listener implements RunListener {
        final List<String> told = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final CountDownLatch together;
        private final IOException failure;

        Listener(CountDownLatch together, IOException failure) {
            this.together = together;
            this.failure = failure;
        }

        @Override
        public void finished(Finished run) throws IOException {
            threads.add(Thread.currentThread());
            if (together != null) {
                together.countDown();
                // only listeners told at the same time get past this (told one after the other, the first would wait)
                try {
                    if (!together.await(10, TimeUnit.SECONDS)) throw new IOException("the other listener was not told meanwhile");
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failure != null) throw failure;
            told.add("finished");
        }

        @Override
        public void aborted(String command, Instant start, Instant end, Exception cause) {
            told.add("aborted");
        }
    }

    private static RunInfo finish(RunRecorder recorder) throws IOException {
        return recorder.finished("plan", Instant.now(), LOADED, List.of(), List.of(), false, 0, List.of());
    }

    @Test
    void theListenersOfAFinishedRunAreToldAtOnceTheFirstOnTheCallersThread() throws IOException {
        CountDownLatch together = new CountDownLatch(2);
        Listener record = new Listener(together, null);
        Listener metrics = new Listener(together, null);

        RunInfo run = finish(new RunRecorder(HOST, List.of(record, metrics), Clock.systemUTC()));

        assertThat(run.command()).isEqualTo("plan");
        assertThat(record.told).containsExactly("finished");
        assertThat(metrics.told).containsExactly("finished");
        assertThat(record.threads).containsExactly(Thread.currentThread());
        assertThat(metrics.threads).doesNotContain(Thread.currentThread());
    }

    @Test
    void aListenerThatFailsIsToldOfTheAbortAndTheOtherTookTheRunOnce() throws IOException {
        Listener record = new Listener(null, new IOException("No space left on device"));
        Listener metrics = new Listener(null, null);
        RunRecorder recorder = new RunRecorder(HOST, List.of(record, metrics), Clock.systemUTC());

        IOException failed = null;
        try {
            finish(recorder);
        } catch (IOException e) {
            failed = e;
        }
        assertThat(failed).hasMessage("No space left on device");
        recorder.aborted("plan", Instant.now(), failed); // what RecordedRuns does with a failed run

        assertThat(record.told).containsExactly("aborted");
        assertThat(metrics.told).containsExactly("finished");
    }

    @Test
    void bothFailuresAreReportedTheFirstListenersWithTheOtherSuppressed() {
        Listener record = new Listener(null, new IOException("record: read-only file system"));
        Listener metrics = new Listener(null, new IOException("metrics: read-only file system"));

        assertThatThrownBy(() -> finish(new RunRecorder(HOST, List.of(record, metrics), Clock.systemUTC())))
                .hasMessage("record: read-only file system")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("metrics: read-only file system"));
    }
}
