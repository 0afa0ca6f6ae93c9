package io.devbox.agent.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A few independent steps at once: the first on the caller's thread (put the longest first), the others on threads of
 * their own, and back when every one is over (also when one failed: the others may be writing files under the run's
 * lock).
 */
final class Concurrently {
    /** One step; it may fail with an I/O error or an unchecked one. */
    interface Step {
        void run() throws IOException;
    }

    private Concurrently() {
    }

    /** @throws IOException the first failure in the order of {@code steps}, the others added to it as suppressed */
    static void runAll(List<Step> steps, String threadName) throws IOException {
        if (steps.isEmpty()) return;
        List<FutureTask<Void>> started = new ArrayList<>();
        for (Step step : steps.subList(1, steps.size())) {
            FutureTask<Void> task = new FutureTask<>(() -> {
                step.run();
                return null;
            });
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            t.start();
            started.add(task);
        }
        List<Throwable> failures = new ArrayList<>();
        try {
            steps.get(0).run();
        } catch (IOException | RuntimeException | Error e) {
            failures.add(e);
        }
        for (FutureTask<Void> task : started) {
            Throwable failure = outcome(task);
            if (failure != null) failures.add(failure);
        }
        if (failures.isEmpty()) return;
        Throwable first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        if (first instanceof IOException e) throw e;
        if (first instanceof RuntimeException e) throw e;
        if (first instanceof Error e) throw e;
        throw new IllegalStateException(first); // a Step throws nothing else
    }

    /** The task's failure, or null; waits however long it takes, keeping an interrupt for the caller. */
    private static Throwable outcome(FutureTask<Void> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
