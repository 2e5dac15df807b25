package io.beeperkeeper.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Pi cameras {@code rpicam-hello --list-cameras} lists (libcamera-hello on older systems), such as
 * {@code 0 : imx708 [4608x2592 10-bit RGGB] (/base/.../imx708@1a)}.
 *
 * @param tool    the lister that ran, or empty when neither is installed
 * @param cameras what it listed
 * @param error   its output when it failed (exit status not 0 and nothing listed)
 */
record PiCameras(Optional<String> tool, List<PiCamera> cameras, String error) {
    private static final Pattern LINE = Pattern.compile("^\\s*(\\d+)\\s*:\\s*(\\S+)\\s*\\[([^\\]]*)\\]");
    private static final Pattern SIZE = Pattern.compile("(\\d+)x(\\d+)");

    /** One camera: its libcamera index, sensor model and full resolution. */
    record PiCamera(int index, String sensor, String resolution) {
    }

    static PiCameras list(Host host) {
        for (String tool : List.of("rpicam-hello", "libcamera-hello")) {
            var exe = host.which(tool);
            if (exe.isPresent()) {
                Host.Output out = host.run(exe.get(), "--list-cameras");
                List<PiCamera> cams = parse(out.text());
                return new PiCameras(Optional.of(tool), cams, cams.isEmpty() && !out.succeeded() ? out.text().strip() : "");
            }
        }
        return new PiCameras(Optional.empty(), List.of(), "");
    }

    static List<PiCamera> parse(String text) {
        List<PiCamera> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                Matcher s = SIZE.matcher(m.group(3));
                out.add(new PiCamera(Integer.parseInt(m.group(1)), m.group(2), s.find() ? s.group() : "?"));
            }
        }
        return out;
    }
}
