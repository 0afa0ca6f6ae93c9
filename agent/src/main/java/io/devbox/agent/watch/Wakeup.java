package io.devbox.agent.watch;

/**
 * What wakes the sleeping watch loop: a cycle request (SIGHUP) or a stop request (SIGTERM, SIGINT). The loop
 * sleeps in {@link #await}; nothing polls.
 */
public final class Wakeup {
    private boolean cycleRequested;
    private boolean stopRequested;
    private String stopSignal;

    public synchronized void requestCycle() {
        cycleRequested = true;
        notifyAll();
    }

    public synchronized void requestStop(String why) {
        stopRequested = true;
        if (stopSignal == null) stopSignal = why;
        notifyAll();
    }

    public synchronized boolean stopRequested() {
        return stopRequested;
    }

    public synchronized String stopReason() {
        return stopSignal;
    }

    /** Returns and clears a pending cycle request. */
    public synchronized boolean takeCycleRequest() {
        boolean r = cycleRequested;
        cycleRequested = false;
        return r;
    }

    /** Sleeps up to {@code millis}, or until a cycle or stop is requested. */
    public synchronized void await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!cycleRequested && !stopRequested) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return;
            wait(left);
        }
    }
}
