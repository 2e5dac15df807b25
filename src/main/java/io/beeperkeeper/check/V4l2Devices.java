package io.beeperkeeper.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The video capture devices under /dev (video0, video1, ...), named from
 * /sys/class/video4linux/videoN/name, with their pixel formats and sizes from
 * {@code v4l2-ctl --list-formats-ext} when v4l-utils is installed. The Pi's own codec, ISP and CSI
 * receiver nodes are left out: they are no webcams (the Pi camera is listed by rpicam-hello).
 *
 * @param formatsKnown whether v4l2-ctl ran (without it, formats are empty)
 */
record V4l2Devices(List<Device> devices, boolean formatsKnown, int internalNodes) {
    private static final Pattern INTERNAL = Pattern.compile("bcm2835-codec.*|bcm2835-isp.*|rpi-hevc.*|pispbe.*|rp1-cfe.*|unicam.*|"
            + "bcm2835-unicam.*|rpivid.*");
    private static final Pattern FORMAT = Pattern.compile("^\\s*\\[\\d+\\]:\\s*'(\\w+)'");
    private static final Pattern SIZE = Pattern.compile("Size:\\s*(Discrete|Stepwise|Continuous)\\s*(\\d+x\\d+)(?:\\s*-\\s*(\\d+x\\d+))?");

    /**
     * One capture device.
     *
     * @param formats fourcc (YUYV, MJPG, H264...) to the frame sizes it offers ("640x480"; a stepwise
     *                range as "16x16-1920x1080")
     */
    record Device(String path, String name, Map<String, List<String>> formats) {
        boolean offers(String fourcc) {
            return formats.containsKey(fourcc);
        }

        /** Whether the format offers this size (a stepwise range offers every size inside it). */
        boolean offers(String fourcc, int width, int height) {
            for (String s : formats.getOrDefault(fourcc, List.of())) {
                if (s.equals(width + "x" + height)) {
                    return true;
                }
                if (s.contains("-")) {
                    int[] lo = size(s.substring(0, s.indexOf('-')));
                    int[] hi = size(s.substring(s.indexOf('-') + 1));
                    if (width >= lo[0] && width <= hi[0] && height >= lo[1] && height <= hi[1]) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The format's size closest to 640x480 (the hub's default for USB cameras), at most that large when one is. */
        Optional<int[]> bestSize(String fourcc) {
            List<int[]> sizes = formats.getOrDefault(fourcc, List.of()).stream().filter(s -> !s.contains("-")).map(V4l2Devices::size).toList();
            Optional<int[]> small = sizes.stream().filter(s -> s[0] * s[1] <= 640 * 480).max(Comparator.comparingInt(s -> s[0] * s[1]));
            return small.isPresent() ? small : sizes.stream().min(Comparator.comparingInt(s -> s[0] * s[1]));
        }

        String describe() {
            StringBuilder b = new StringBuilder(path + (name.isEmpty() ? "" : " (" + name + ")"));
            if (!formats.isEmpty()) {
                List<String> parts = new ArrayList<>();
                formats.forEach((f, sizes) -> parts.add(f + " " + String.join(", ", sizes.stream().limit(6).toList())
                        + (sizes.size() > 6 ? ", ..." : "")));
                b.append(": ").append(String.join("; ", parts));
            }
            return b.toString();
        }
    }

    static V4l2Devices list(Host host) {
        Optional<Path> v4l2ctl = host.which("v4l2-ctl");
        List<Device> out = new ArrayList<>();
        int internal = 0;
        for (Path node : nodes(host.file("/dev"))) {
            String n = node.getFileName().toString();
            Path sys = host.file("/sys/class/video4linux/" + n);
            String name = text(sys.resolve("name"));
            if (INTERNAL.matcher(name).matches()) {
                internal++;
                continue;
            }
            String devPath = "/dev/" + n;
            if (v4l2ctl.isPresent()) {
                Map<String, List<String>> formats = parse(host.run(v4l2ctl.get(), "--device", node.toString(), "--list-formats-ext").text());
                if (!formats.isEmpty()) {
                    out.add(new Device(devPath, name, formats));
                }
            } else if (text(sys.resolve("index")).isEmpty() || text(sys.resolve("index")).equals("0")) {
                out.add(new Device(devPath, name, Map.of())); // a webcam's second node (index 1) carries metadata only
            }
        }
        return new V4l2Devices(out, v4l2ctl.isPresent(), internal);
    }

    static Map<String, List<String>> parse(String listFormatsExt) {
        Map<String, List<String>> formats = new LinkedHashMap<>();
        String current = null;
        for (String line : listFormatsExt.split("\n")) {
            Matcher f = FORMAT.matcher(line);
            if (f.find()) {
                current = f.group(1);
                formats.putIfAbsent(current, new ArrayList<>());
                continue;
            }
            Matcher s = SIZE.matcher(line);
            if (s.find() && current != null) {
                String size = s.group(3) == null ? s.group(2) : s.group(2) + "-" + s.group(3);
                if (!formats.get(current).contains(size)) {
                    formats.get(current).add(size);
                }
            }
        }
        formats.replaceAll((k, v) -> List.copyOf(v));
        return formats;
    }

    private static List<Path> nodes(Path dev) {
        if (!Files.isDirectory(dev)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dev)) {
            return s.filter(p -> p.getFileName().toString().matches("video\\d+"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(5)))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static int[] size(String wxh) {
        String[] p = wxh.split("x");
        return new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    private static String text(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
