package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.feature.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one external process running, forever: starts it, watches it, restarts it when it exits,
 * cannot start, or hangs, and waits a backoff between starts. Every duration is measured on the
 * injected clock (a {@link SteadyClock} in production, a test's manual clock in tests); waiting is
 * done on the process or on the stop signal, so {@link #close()} ends a wait at once.
 *
 * <ul>
 *   <li>Watchdog: before the process's first frame it gets {@code media.firstFrameSeconds} (starting
 *       an encoder on a loaded Pi takes seconds), then {@code media.hangSeconds} between frames.</li>
 *   <li>Backoff: 1 s, doubling to {@code media.maxRestartSeconds} for a process that fails again
 *       right after starting. A process that had been live for {@link #RESET_AFTER_LIVE_MS} ran
 *       normally: it is restarted at once and its backoff starts again at 1 s, so a camera that dies
 *       is back within seconds however often that happens.</li>
 *   <li>Planned restart ({@link #restartNow}): the process is stopped on purpose (a new encoding)
 *       and started again at once; it counts as neither a restart nor a failure, and leaves the
 *       backoff as it was.</li>
 *   <li>Logs: stderr goes to the log under the camera's name and its last line becomes the offline
 *       reason. A failure that repeats the previous one (a missing ffmpeg, a crash loop) is logged once,
 *       then at debug level, so the log is not one warning per backoff step.</li>
 * </ul>
 */
final class ProcessSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CameraSupervisor.class);
    static final long INITIAL_BACKOFF_MS = 1000;
    static final long RESET_AFTER_LIVE_MS = 10_000;
    /**
     * The watchdog looks every second, or four times per {@code media.hangSeconds} when that is under 4 s:
     * a hang is caught at most a second (a quarter of the limit) late, and the hub wakes once a second per
     * camera for it.
     */
    private static final long WATCH_EVERY_MS = 1_000;

    /** One start of the process: its command and what it holds for that start (loopback ports). */
    interface Run extends AutoCloseable {
        List<String> argv();

        /** Reads the process's output until it ends; runs on the supervisor's thread. */
        void consume(Process process) throws IOException;

        /** Frees what this start held, after the process is gone. */
        @Override
        void close();
    }

    /** Prepares a start; an I/O failure counts as a failed start. */
    @FunctionalInterface
    interface Launcher {
        Run prepare() throws IOException;
    }

    /** What the owner hears of the process (on the supervisor's thread). */
    interface Listener {
        void starting(int restarts, boolean quiet);

        /**
         * The process ended or could not start; the owner logs it.
         *
         * @param quiet the same failure as the previous start's: not worth another log line
         */
        void offline(String reason, int restarts, boolean quiet);
    }

    private final String name;
    private final MediaConfig media;
    private final Clock clock;
    private final Launcher launcher;
    private final Listener listener;
    private final CannotStart cannotStart;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong watchdogChecks = new AtomicLong();
    private final Thread thread;

    private volatile boolean stopped;
    private volatile Process process;
    private volatile long startedAtMs;
    private volatile long lastFrameMs = -1;
    private volatile long liveSinceMs = -1;
    private volatile String hangReason;
    private volatile long backoffMs = INITIAL_BACKOFF_MS;
    private volatile String plannedRestart;
    private int restarts;
    private String lastFailure;
    private Set<String> previousStderr = Set.of();

    /** Explains a command that cannot be started (a missing executable), naming the fix. */
    @FunctionalInterface
    interface CannotStart {
        String explain(String executable, IOException e);
    }

    ProcessSupervisor(String name, MediaConfig media, Clock clock, Launcher launcher, Listener listener,
                      CannotStart cannotStart) {
        this.name = name;
        this.media = media;
        this.clock = clock;
        this.launcher = launcher;
        this.listener = listener;
        this.cannotStart = cannotStart;
        this.thread = Threads.daemon("camera-" + name).newThread(this::superviseForever);
    }

    void start() {
        thread.start();
    }

    /** Called on every frame the process delivers: feeds the watchdog and marks the process live. */
    void frameArrived() {
        long now = clock.millis();
        lastFrameMs = now;
        if (liveSinceMs < 0) {
            liveSinceMs = now;
        }
    }

    /** The process's PID while one runs, else -1. */
    long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** The wait before the next start if the process failed now. */
    long backoffMs() {
        return backoffMs;
    }

    /** How many times the watchdog has looked at a running process and let it run (tests wait on it). */
    long watchdogChecks() {
        return watchdogChecks.get();
    }

    @Override
    public void close() {
        stopped = true;
        stop.countDown();
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (p != null && p.isAlive()) {
            kill(p);
        }
    }

    /**
     * Stops the running process on purpose so that it starts again at once with a fresh command (see
     * {@link Launcher}); without a running process the next start uses the fresh command anyway.
     *
     * @param why for the log, e.g. "thermal: 10 fps 640x480 -> 5 fps 640x480"
     */
    void restartNow(String why) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        plannedRestart = why;
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy(); // ffmpeg ends cleanly on SIGTERM; the reader sees the end of its output
    }

    private void superviseForever() {
        while (!stopped) {
            String reason = runOnce();
            if (stopped) {
                break;
            }
            String planned = plannedRestart;
            if (planned != null) {
                plannedRestart = null;
                log.info("camera {}: restarting its process on purpose ({})", name, planned);
                continue; // no backoff, not counted: the process did what it was asked
            }
            long live = liveSinceMs;
            boolean ranNormally = live >= 0 && clock.millis() - live >= RESET_AFTER_LIVE_MS;
            if (ranNormally) {
                backoffMs = INITIAL_BACKOFF_MS; // it ran normally: come back fast, and back off anew if it keeps failing
            }
            if (live >= 0) {
                lastFailure = null; // it worked in between: a failure now is news
            }
            restarts++;
            boolean quiet = reason.equals(lastFailure);
            lastFailure = reason;
            // a camera that ran normally and died is restarted at once: viewers wait for its first
            // keyframe, not for a backoff meant for processes that cannot start
            long wait = ranNormally ? 0 : backoffMs;
            listener.offline(reason + (wait == 0 ? "; restarting now" : "; restarting in " + wait / 1000.0 + " s"), restarts, quiet);
            try {
                if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
            if (!ranNormally) {
                backoffMs = Math.min(wait * 2, (long) (media.maxRestartSeconds() * 1000));
            }
        }
    }

    /** Runs the process once; returns why it ended. */
    private String runOnce() {
        lastFrameMs = -1;
        liveSinceMs = -1;
        hangReason = null;
        listener.starting(restarts, lastFailure != null);
        Run run;
        try {
            run = launcher.prepare();
        } catch (IOException e) {
            return "cannot start: " + rootMessage(e);
        }
        ArrayDeque<String> lastLines = new ArrayDeque<>();
        Set<String> stderrSeen = new HashSet<>();
        try (run) {
            Process p;
            try {
                p = new ProcessBuilder(run.argv()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            } catch (IOException e) {
                return cannotStart.explain(run.argv().get(0), e);
            }
            process = p;
            startedAtMs = clock.millis();
            Thread err = Threads.start("camera-" + name + "-stderr", () -> pumpStderr(p.getErrorStream(), lastLines, stderrSeen));
            Thread watchdog = Threads.start("camera-" + name + "-watchdog", () -> watch(p));
            try {
                run.consume(p);
            } catch (IOException e) {
                log.debug("camera {}: video pipe closed: {}", name, e.toString());
            }
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                kill(p);
            }
            watchdog.interrupt();
            err.join(1000);
            String hang = hangReason;
            if (hang != null) {
                return hang;
            }
            String last;
            synchronized (lastLines) {
                last = lastLines.peekLast();
            }
            return "process exited with code " + exitCode(p) + (last == null ? "" : ": " + last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            Process p = process;
            if (p != null) {
                kill(p);
            }
            process = null;
            synchronized (stderrSeen) {
                previousStderr = Set.copyOf(stderrSeen);
            }
        }
    }

    private void watch(Process p) {
        long hangMs = (long) (media.hangSeconds() * 1000);
        long firstFrameMs = (long) (media.firstFrameSeconds() * 1000);
        long everyMs = Math.max(1, Math.min(WATCH_EVERY_MS, hangMs / 4));
        while (!stopped) {
            try {
                if (p.waitFor(everyMs, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            long last = lastFrameMs;
            long now = clock.millis();
            if (last < 0 && now - startedAtMs > firstFrameMs) {
                hangReason = "no frame for " + media.firstFrameSeconds() + " s after the process started"
                        + " (hung, or slower to start than media.firstFrameSeconds)";
                kill(p);
                return;
            }
            if (last >= 0 && now - last > hangMs) {
                hangReason = "no frame for " + media.hangSeconds() + " s (process hung)";
                kill(p);
                return;
            }
            watchdogChecks.incrementAndGet();
        }
    }

    private void pumpStderr(InputStream err, ArrayDeque<String> lastLines, Set<String> seen) {
        Set<String> before = previousStderr;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String trimmed = line.length() > 300 ? line.substring(0, 300) + "..." : line;
                // a crash loop prints the same lines at every start: log them once
                if (before.contains(trimmed)) {
                    log.debug("camera {}: {}", name, trimmed);
                } else {
                    log.warn("camera {}: {}", name, trimmed);
                }
                synchronized (seen) {
                    if (seen.size() < 50) {
                        seen.add(trimmed);
                    }
                }
                synchronized (lastLines) {
                    lastLines.addLast(trimmed);
                    if (lastLines.size() > 5) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // process gone
        }
    }

    private static String exitCode(Process p) {
        try {
            return String.valueOf(p.exitValue());
        } catch (IllegalThreadStateException e) {
            return "unknown";
        }
    }

    /**
     * Kills the process and its children: a wrapper script's children would otherwise keep the
     * video pipe open and the reader would never see the end.
     */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
