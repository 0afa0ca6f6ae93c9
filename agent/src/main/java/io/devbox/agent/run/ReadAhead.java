package io.devbox.agent.run;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A run's profiles, read on a second thread while the run takes its lock, or read when asked. Reading a local source
 * changes nothing the lock guards (the validation cache is written by atomic renames, which any process may do), so a
 * plan reads it on the second core meanwhile; a remote source is read under the lock (it fetches into the state
 * directory and moves its last good commit).
 */
final class ReadAhead implements AutoCloseable {
    private final FutureTask<Session.Loaded> task;
    private final boolean started;

    private ReadAhead(Callable<Session.Loaded> read, boolean start) {
        this.task = new FutureTask<>(read);
        this.started = start;
        if (start) {
            Thread t = new Thread(task, "devbox-read-profiles");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Starts reading now, on its own thread. */
    static ReadAhead started(Callable<Session.Loaded> read) {
        return new ReadAhead(read, true);
    }

    /** Reads in the thread that asks, when it asks. */
    static ReadAhead onDemand(Callable<Session.Loaded> read) {
        return new ReadAhead(read, false);
    }

    /** The profiles, or what reading them threw (as if it had been read in this thread). */
    Session.Loaded get() throws Exception {
        if (!started) task.run();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    /** Waits for a reading that was started, so that it never outlives the run (e.g. one refused by a held lock). */
    @Override
    public void close() {
        if (!started) return;
        try {
            task.get();
        } catch (ExecutionException | CancellationException e) {
            // the run that asked has reported it; one that did not ask ended for another reason
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
