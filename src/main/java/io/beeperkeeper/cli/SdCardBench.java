package io.beeperkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code beeper bench sdcard}: what a running hub writes to its disk (a Pi's SD card wears with every
 * page written), for a keeper who wants to know how long their card lasts and which setting to change.
 * It reads the hub's {@code /proc/<pid>/io} at the start and the end of the window: {@code write_bytes}
 * (what the kernel will write to the card for this process: whole 4 KB pages, each time a clean page is
 * dirtied, mmap'd files included), {@code wchar} (bytes handed to write calls) and {@code syscw} (write
 * calls), each also scaled to a day. Meanwhile it samples the size and modification time of every file
 * in the hub's data folder and of every file the hub holds open or mapped for writing, and prints which
 * changed how often and how much each grew: the per-file breakdown the kernel does not keep. The hub is
 * the one named by {@code --pid} or found listening at {@code --url}; otherwise it starts one as
 * {@code ./beeper run} does ({@link BenchHub}) and waits for its cameras. Prints figures, fails nothing.
 */
final class SdCardBench {
    /** What to measure, from the command line. */
    record Settings(Long pid, String url, Path dataDir, double seconds, int settleSeconds, Path work, Map<String, String> env) {
    }

    /** One reading of {@code /proc/<pid>/io}. */
    record Io(long writeBytes, long wchar, long syscw, long cancelled) {
        static Io read(long pid) throws IOException {
            Map<String, Long> m = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    m.put(line.substring(0, colon).trim(), Long.parseLong(line.substring(colon + 1).trim()));
                }
            }
            return new Io(m.getOrDefault("write_bytes", 0L), m.getOrDefault("wchar", 0L), m.getOrDefault("syscw", 0L),
                    m.getOrDefault("cancelled_write_bytes", 0L));
        }
    }

    /** What was seen of one file over the window. */
    static final class Seen {
        long firstSize = -1;
        long lastSize;
        long lastModified;
        int changes;
        boolean mapped;
    }

    private static final double DAY = 86_400;

    private final Settings settings;
    private final PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    SdCardBench(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    int run() throws Exception {
        if (settings.pid() != null || settings.url() != null) {
            long pid;
            if (settings.pid() != null) {
                pid = settings.pid();
            } else {
                OptionalLong found = ProcessFigures.listeningPid(URI.create(settings.url()).getPort());
                if (found.isEmpty()) {
                    out.println("beeper bench sdcard: no process of this machine listens at " + settings.url()
                            + " (another user's, or not here); name the hub with --pid PID");
                    return 1;
                }
                pid = found.getAsLong();
            }
            Path data = settings.dataDir() != null ? settings.dataDir() : dataDirOf(pid);
            return measure(pid, data, settings.url());
        }
        try (BenchHub hub = BenchHub.start(settings.work(), settings.env())) {
            out.printf(Locale.ROOT, "started a hub as ./beeper run would (pid %d, %s, data %s, log %s)%s%n", hub.pid(), hub.base(),
                    hub.dataDir(), hub.log(), settings.env().isEmpty() ? "" : " with " + settings.env());
            out.flush();
            List<String> cameras = awaitCameras(hub);
            out.printf(Locale.ROOT, "cameras live: %s; settling %d s%n", cameras.isEmpty() ? "none" : String.join(", ", cameras),
                    settings.settleSeconds());
            out.flush();
            Thread.sleep(settings.settleSeconds() * 1000L);
            return measure(hub.pid(), hub.dataDir(), hub.base());
        }
    }

    private int measure(long pid, Path data, String what) throws Exception {
        Io before;
        try {
            before = Io.read(pid);
        } catch (IOException e) {
            out.println("beeper bench sdcard: cannot read /proc/" + pid + "/io (" + e.getMessage() + "); run it as the hub's user"
                    + " or with sudo (the service: sudo beeper bench sdcard --url http://127.0.0.1:8080)");
            return 1;
        }
        out.printf(Locale.ROOT, "hub %spid %d, data folder %s; measuring %.0f s; load average %s%n", what == null ? "" : what + ", ", pid,
                data == null ? "not found (name it with --data)" : data, settings.seconds(), BenchMachine.loadAverage());
        out.flush();
        Map<Path, Seen> files = new LinkedHashMap<>();
        long step = Math.max(1000, Math.min(10_000, Math.round(settings.seconds() * 1000 / 60)));
        int samples = 0;
        long t0 = System.nanoTime();
        long end = t0 + Math.round(settings.seconds() * 1e9);
        while (true) {
            sample(pid, data, files, samples == 0);
            samples++;
            long left = end - System.nanoTime();
            if (left <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                break;
            }
            Thread.sleep(Math.min(step, Math.max(1, left / 1_000_000)));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Io after;
        try {
            after = Io.read(pid);
        } catch (IOException e) {
            out.println("beeper bench sdcard: the hub (pid " + pid + ") went away during the window");
            return 1;
        }
        long written = after.writeBytes() - before.writeBytes();
        out.printf(Locale.ROOT, "write_bytes %12d B in %.1f s = %8.2f MB/day  (pages the kernel writes to the disk for the hub)%n",
                written, secs, perDay(written, secs) / 1e6);
        long wchar = after.wchar() - before.wchar();
        out.printf(Locale.ROOT, "wchar       %12d B in %.1f s = %8.2f MB/day  (bytes written by calls, sockets and pipes included)%n",
                wchar, secs, perDay(wchar, secs) / 1e6);
        long syscw = after.syscw() - before.syscw();
        out.printf(Locale.ROOT, "syscw       %12d   in %.1f s = %8.0f calls/day%n", syscw, secs, perDay(syscw, secs));
        long cancelled = after.cancelled() - before.cancelled();
        if (cancelled > 0) {
            out.printf(Locale.ROOT, "cancelled_write_bytes %d B (dirty pages of files deleted or cut before they reached the disk)%n", cancelled);
        }
        long footage = printFiles(files, data, samples, secs);
        out.printf(Locale.ROOT, "the hub's own writes (write_bytes less the footage kept: state, history, logs): %.2f MB/day%n",
                perDay(Math.max(0, written - footage), secs) / 1e6);
        out.printf(Locale.ROOT, "load average at the end %s%n", BenchMachine.loadAverage());
        out.flush();
        return 0;
    }

    /** Prints the files that changed; returns the bytes of footage kept (time-lapse and clips). */
    private long printFiles(Map<Path, Seen> files, Path data, int samples, double secs) {
        List<Map.Entry<Path, Seen>> changed = files.entrySet().stream().filter(e -> e.getValue().changes > 0)
                .sorted(Comparator.comparingLong((Map.Entry<Path, Seen> e) -> e.getValue().lastSize - Math.max(0, e.getValue().firstSize))
                        .reversed().thenComparing(e -> -e.getValue().changes))
                .toList();
        out.printf(Locale.ROOT, "files that changed (of %d files watched, %d samples; size and time checked, not bytes: a file"
                + " rewritten in place, such as SQLite's -wal and -shm, grows little but is written at each change):%n", files.size(), samples);
        out.printf(Locale.ROOT, "  %-56s %10s %12s %10s %8s%n", "file", "size", "grew", "MB/day", "changes");
        long timelapse = 0;
        long clips = 0;
        for (Map.Entry<Path, Seen> e : changed) {
            Seen s = e.getValue();
            long grew = s.lastSize - Math.max(0, s.firstSize);
            String name = data != null && e.getKey().startsWith(data) ? data.relativize(e.getKey()).toString() : e.getKey().toString();
            if (name.startsWith("timelapse/")) {
                timelapse += Math.max(0, grew);
            } else if (name.startsWith("clips/")) {
                clips += Math.max(0, grew);
            }
            out.printf(Locale.ROOT, "  %-56s %10d %12s %10.2f %8d%s%n", name, s.lastSize, (grew >= 0 ? "+" : "") + grew,
                    perDay(Math.max(0, grew), secs) / 1e6, s.changes, s.mapped ? "  (mapped)" : "");
        }
        if (changed.isEmpty()) {
            out.println("  (none)");
        }
        if (timelapse > 0) {
            out.printf(Locale.ROOT, "footage kept, time-lapse (keyframes, their markers and index): %d B = %.2f MB/day;"
                    + " timelapse.enabled: false or a longer timelapse.intervalSeconds spares it%n", timelapse, perDay(timelapse, secs) / 1e6);
        }
        if (clips > 0) {
            out.printf(Locale.ROOT, "footage kept, clips: %d B = %.2f MB/day; a test camera's pattern is motion all the time (a real"
                    + " coop's is not): motion.cameras.<name>.minArea or a mask spares it%n", clips, perDay(clips, secs) / 1e6);
        }
        return timelapse + clips;
    }

    /** One look at every file of the data folder and every file the hub has open or mapped for writing. */
    private static void sample(long pid, Path data, Map<Path, Seen> files, boolean first) {
        Set<Path> now = new LinkedHashSet<>();
        Set<Path> mapped = writableMappings(pid);
        if (data != null && Files.isDirectory(data)) {
            try (Stream<Path> walk = Files.walk(data)) {
                walk.filter(Files::isRegularFile).forEach(now::add);
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // a file went away while walking: the next sample sees the rest
            }
        }
        now.addAll(writableFiles(pid));
        now.addAll(mapped);
        for (Path p : now) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (IOException e) {
                continue; // deleted meanwhile (a temporary file renamed into place)
            }
            Seen s = files.computeIfAbsent(p, k -> new Seen());
            long modified = a.lastModifiedTime().toMillis();
            if (s.firstSize < 0) {
                s.firstSize = first ? a.size() : 0; // a file made during the window: all of it was written
                s.changes = first ? 0 : 1;
            } else if (a.size() != s.lastSize || modified != s.lastModified) {
                s.changes++;
            }
            s.lastSize = a.size();
            s.lastModified = modified;
            s.mapped |= mapped.contains(p);
        }
    }

    /** Regular files the process holds open for writing (O_WRONLY or O_RDWR in its fdinfo). */
    static List<Path> writableFiles(long pid) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (!target.isAbsolute() || target.startsWith("/dev") || target.startsWith("/proc") || !Files.isRegularFile(target)) {
                        continue;
                    }
                    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/fdinfo/" + fd.getFileName()))) {
                        if (line.startsWith("flags:") && (Integer.parseInt(line.substring(6).trim(), 8) & 3) != 0) {
                            out.add(target);
                        }
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // closed meanwhile
                }
            }
        } catch (IOException ignored) {
            // another user's process: the data folder alone is watched
        }
        return out;
    }

    /** Files mapped shared and writable (the JVM's hsperfdata, SQLite's -shm): written without write calls. */
    static Set<Path> writableMappings(long pid) {
        Set<Path> out = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                String[] f = line.trim().split("\\s+", 6);
                if (f.length == 6 && f[1].length() == 4 && f[1].charAt(1) == 'w' && f[1].charAt(3) == 's' && f[5].startsWith("/")
                        && !f[5].startsWith("/dev")) {
                    out.add(Path.of(f[5].replace(" (deleted)", "")));
                }
            }
        } catch (IOException ignored) {
            // another user's process
        }
        return out;
    }

    /** The folder of the hub's beeper.db, from the files it has open. */
    static Path dataDirOf(long pid) {
        for (Path p : writableFiles(pid)) {
            if (p.getFileName().toString().equals("beeper.db")) {
                return p.getParent();
            }
        }
        return null;
    }

    private List<String> awaitCameras(BenchHub hub) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<String> live = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            if (!hub.process().isAlive()) {
                throw new IOException("the hub exited (" + hub.process().exitValue() + "); see " + hub.log());
            }
            live.clear();
            boolean pending = false;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.base() + "/api/cameras")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    for (JsonNode camera : json.readTree(r.body())) {
                        if (camera.path("state").asText().equals("live")) {
                            live.add(camera.path("name").asText());
                        } else {
                            pending = true;
                        }
                    }
                    if (!pending && !live.isEmpty()) {
                        return live;
                    }
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return live;
    }

    private static double perDay(long amount, double secs) {
        return secs <= 0 ? 0 : amount * DAY / secs;
    }
}
