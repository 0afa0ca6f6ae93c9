package io.devbox.agent.testing;

import io.devbox.agent.engine.RunLock;

import java.nio.file.Path;
import java.time.Duration;

/** A separate process that holds an agent run lock until it is killed: for lock contention tests. */
public final class HoldLock {
    private HoldLock() {
    }

    public static void main(String[] args) throws Exception {
        try (RunLock ignored = RunLock.acquire(Path.of(args[0]), "apply", Duration.ofSeconds(5))) {
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
