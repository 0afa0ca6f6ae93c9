package io.devbox.agent.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

class StartupWarmupTest {
    @Test
    void everyTaskRunsExactlyOnceOnTheWarmupThreadsOrTheWaitingThread() {
        int n = 200;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int task = i;
            tasks.add(() -> {
                threads.add(Thread.currentThread().getName());
                runs.incrementAndGet(task);
            });
        }

        new StartupWarmup(tasks, 2).await();

        for (int i = 0; i < n; i++) assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
        assertThat(threads).isSubsetOf(Set.of("warmup-0", "warmup-1", Thread.currentThread().getName()));
    }

    @Test
    void withoutThreadsTheWaitingThreadRunsEveryTask() {
        List<String> ran = new ArrayList<>();
        new StartupWarmup(List.of(() -> ran.add("a"), () -> ran.add("b")), 0).await();
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void aFailingTaskDoesNotStopTheOthersAndIsNotThrownAtTheCommand() {
        AtomicInteger ran = new AtomicInteger();
        List<Runnable> tasks = List.of(
                () -> {
                    throw new IllegalStateException("broken library");
                },
                ran::incrementAndGet,
                () -> {
                    throw new NoClassDefFoundError("org/example/Missing");
                },
                ran::incrementAndGet);

        new StartupWarmup(tasks, 0).await();

        assertThat(ran).hasValue(2);
    }

    @Test
    void awaitReturnsOnlyWhenTheTasksUnderWayOnOtherThreadsAreOver() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        StartupWarmup warmup = new StartupWarmup(List.of(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        }), 1);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        Thread waiter = new Thread(warmup::await);
        waiter.start();
        waiter.join(200);
        assertThat(waiter.isAlive()).as("await returned while a task was under way").isTrue();

        release.countDown();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(finished).hasValue(1);
    }

    @Test
    void onlyCommandsThatReadProfilesStartThreads() {
        StartupWarmup none = StartupWarmup.startFor(new String[]{"version", "--json"});
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("warmup-"));
        none.await();
    }

    /** The warm-up swallows failures (the command meets them): this is where a library change that breaks one shows. */
    @Test
    void theRealTasksRunAgainstTheLibrariesWithoutFailing() {
        assertThat(StartupWarmup.tasks()).hasSizeGreaterThan(5);
        for (Runnable task : StartupWarmup.tasks()) task.run();
    }
}
