package io.beeperkeeper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Debian packages the tests (and cameras) need, each found by one program it installs. `beeper
 * test` installs the missing ones with apt as root, or prints the one apt line to run.
 */
public final class SystemPackages {
    /** program on PATH, or absolute path of a program or file -> Debian package that provides it */
    private static final Map<String, String> NEEDED = new LinkedHashMap<>();

    static {
        NEEDED.put("ffmpeg", "ffmpeg");
        NEEDED.put("ffprobe", "ffmpeg");
        NEEDED.put("/usr/bin/chromium", "chromium");
        NEEDED.put("/usr/bin/chromedriver", "chromium-driver");
        NEEDED.put("mosquitto", "mosquitto");
        NEEDED.put("mosquitto_sub", "mosquitto-clients");
        NEEDED.put("influxd", "influxdb");
        NEEDED.put("tesseract", "tesseract-ocr");
        NEEDED.put("i2cdump", "i2c-tools");
        // the test camera draws its clock in this font so that OCR reads it (glass-to-glass benchmarks)
        NEEDED.put("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", "fonts-dejavu-core");
    }

    private SystemPackages() {
    }

    /** Packages whose marker program is missing on this machine, sorted, without duplicates. */
    public static List<String> missing() {
        TreeSet<String> out = new TreeSet<>();
        NEEDED.forEach((program, pkg) -> {
            if (!found(program)) {
                out.add(pkg);
            }
        });
        return List.copyOf(out);
    }

    static boolean found(String program) {
        if (program.startsWith("/")) {
            Path p = Path.of(program);
            return program.startsWith("/usr/share/") ? Files.isRegularFile(p) : Files.isExecutable(p);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        // sbin is not on a normal user's PATH but holds some daemons
        return Files.isExecutable(Path.of("/usr/sbin", program)) || Files.isExecutable(Path.of("/usr/bin", program));
    }
}
