package io.beeperkeeper.feature;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hub's one thread factory: named daemon threads (so a thread dump says whose thread it is and a
 * forgotten thread never keeps the JVM alive at shutdown) that log what kills them instead of dying
 * silently.
 */
public final class Threads {
    private Threads() {
    }

    /** Threads named {@code name}, then {@code name-2}, {@code name-3}... */
    public static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            int n = count.incrementAndGet();
            Thread t = new Thread(r, n == 1 ? name : name + "-" + n);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> org.slf4j.LoggerFactory.getLogger(Threads.class)
                    .error("thread {} died: {}", th.getName(), e.toString(), e));
            return t;
        };
    }

    /**
     * A one-thread scheduler for occasional work (a connect retried with backoff, actions after a
     * reconnect): its thread ends after 10 s with nothing to do and comes back with the next task, so
     * a hub that is connected carries no idle thread (its stack and its share of a malloc arena) for it.
     * A task scheduled for later keeps the thread meanwhile.
     */
    public static ScheduledExecutorService occasional(String name) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, daemon(name));
        e.setKeepAliveTime(10, TimeUnit.SECONDS);
        e.allowCoreThreadTimeOut(true);
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** Starts one named daemon thread running {@code task}. */
    public static Thread start(String name, Runnable task) {
        Thread t = daemon(name).newThread(task);
        t.start();
        return t;
    }
}
