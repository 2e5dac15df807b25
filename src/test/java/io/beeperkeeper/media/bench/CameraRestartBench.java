package io.beeperkeeper.media.bench;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.camera.CameraState;
import io.beeperkeeper.media.camera.CameraSupervisor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Camera restart benchmark (prints figures, asserts only that each kill was survived): a test camera
 * is live for 10 s, killed with SIGKILL, and timed until it is live again with its first keyframe
 * published; N times on the real clock. Also counts the camera's threads and child processes after
 * the last kill, to show nothing leaks. About 14 s per kill:
 * {@code mvn test -Dtest=CameraRestartBench -Dbench=camera-restarts -Dkills=100 [-Dbench.out=FILE]}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "camera-restarts")
class CameraRestartBench {
    @Test
    void killARunningCameraManyTimes() throws Exception {
        int kills = Integer.getInteger("kills", 100);
        CameraConfig config = new CameraConfig("test", 320, 240, 15, 300, 1.0, null, "none", null, null, null, null).validated("bench");
        Stream stream = new Stream("bench");
        List<Double> seconds = new ArrayList<>();
        int threadsAfterFirst = -1;
        List<Change> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CameraSupervisor cam = CameraSupervisor.forConfig("bench", config, MediaConfig.defaults(), stream)) {
            cam.onStateChange(s -> changes.add(new Change(s, System.nanoTime())));
            cam.start();
            for (int i = 1; i <= kills; i++) {
                await().atMost(Duration.ofSeconds(60)).until(() -> cam.state().status() == CameraState.Status.LIVE && cam.pid() > 0);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Duration.between(cam.state().since(), java.time.Instant.now()).toMillis() >= 10_500);
                if (i == 2) {
                    threadsAfterFirst = cameraThreads();
                }
                long pid = cam.pid();
                int before = changes.size();
                long t0 = System.nanoTime();
                new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                        changes.stream().skip(before).anyMatch(c -> c.state().status() == CameraState.Status.OFFLINE)
                                && cam.state().status() == CameraState.Status.LIVE && cam.pid() > 0 && cam.pid() != pid);
                List<Change> run = changes.stream().skip(before).toList();
                double s = (run.get(run.size() - 1).nanos() - t0) / 1e9;
                seconds.add(s);
                StringBuilder steps = new StringBuilder();
                run.forEach(c -> steps.append(String.format(" %s@%.2f", c.state().label(), (c.nanos() - t0) / 1e9)));
                report(String.format("kill %d: live again after %.2f s (%s)", i, s, steps.toString().trim()));
            }
            int threads = cameraThreads();
            long children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
            List<Double> sorted = new ArrayList<>(seconds);
            Collections.sort(sorted);
            report(String.format("CameraRestartBench: %d kills; back live median %.2f s, p95 %.2f s, max %.2f s; over 5 s: %d; "
                            + "camera threads after kill 1: %d, after the last: %d; child processes: %d%n",
                    kills, sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1),
                    sorted.get(sorted.size() - 1), sorted.stream().filter(x -> x > 5).count(), threadsAfterFirst, threads, children));
        }
    }

    /** Prints a figure, and appends it to the file named by {@code -Dbench.out} (survives a killed fork). */
    private static void report(String line) {
        System.out.println(line);
        String file = System.getProperty("bench.out");
        if (file != null) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(file), line + System.lineSeparator(),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                System.out.println("cannot write " + file + ": " + e);
            }
        }
    }

    private record Change(CameraState state, long nanos) {
    }

    private static int cameraThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("camera-bench")).count();
    }
}
