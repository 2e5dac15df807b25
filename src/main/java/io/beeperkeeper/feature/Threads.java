package io.beeperkeeper.feature;

import java.util.concurrent.ThreadFactory;
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

    /** Starts one named daemon thread running {@code task}. */
    public static Thread start(String name, Runnable task) {
        Thread t = daemon(name).newThread(task);
        t.start();
        return t;
    }
}
