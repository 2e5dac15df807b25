package io.beeperkeeper.feature;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A scheduler for occasional work runs its tasks, later ones too, and carries no thread while idle. */
class ThreadsTest {
    private static boolean alive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void anOccasionalSchedulersThreadEndsWhenIdleAndComesBackForTheNextTask() throws Exception {
        ScheduledExecutorService s = Threads.occasional("threads-test-occasional");
        try {
            CompletableFuture<String> first = new CompletableFuture<>();
            s.execute(() -> first.complete(Thread.currentThread().getName()));
            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo("threads-test-occasional");
            await("the idle thread ends").atMost(Duration.ofSeconds(90)).until(() -> !alive("threads-test-occasional"));

            CompletableFuture<Boolean> later = new CompletableFuture<>();
            s.schedule(() -> later.complete(true), 200, TimeUnit.MILLISECONDS);
            assertThat(later.get(60, TimeUnit.SECONDS)).isTrue();
            assertThat(s.isShutdown()).isFalse();
        } finally {
            s.shutdownNow();
        }
    }
}
