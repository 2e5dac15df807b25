package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.CameraConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cameras: the Pi cameras rpicam-hello lists, the V4L2 webcams and their formats, and for each camera
 * of the settings (or the two test patterns when none is set) whether run can open it. With no camera
 * set but real ones found, the fix is the cameras: section to paste.
 */
final class CameraProbe implements Probe {
    private final Host host;
    private final PiCameras pi;
    private final V4l2Devices v4l2;
    private final Alsa alsa;

    CameraProbe(Host host, PiCameras pi, V4l2Devices v4l2, Alsa alsa) {
        this.host = host;
        this.pi = pi;
        this.v4l2 = v4l2;
        this.alsa = alsa;
    }

    @Override
    public void probe(BeeperConfig config, Findings out) {
        hardware(out);
        Map<String, CameraConfig> configured = config.cameras().entries();
        if (configured.isEmpty()) {
            suggest(out);
        }
        config.cameras().effective().forEach((name, c) -> camera(name, c, configured.isEmpty(), out));
    }

    private void hardware(Findings out) {
        if (pi.tool().isEmpty()) {
            out.add(Finding.missing(Area.CAMERA, "pi camera", "rpicam-hello is not installed, so Pi cameras cannot be listed"
                    + " (not a Raspberry Pi, or the camera apps are missing)", Fix.install("rpicam-apps")));
        } else if (pi.cameras().isEmpty()) {
            out.add(Finding.missing(Area.CAMERA, "pi camera", pi.tool().get() + " --list-cameras lists none"
                    + (pi.error().isEmpty() ? "" : ": " + firstLine(pi.error())),
                    Fix.todo("connect the camera's ribbon cable with the power off; camera_auto_detect=1 in"
                            + " /boot/firmware/config.txt finds it at boot")));
        }
        for (PiCameras.PiCamera c : pi.cameras()) {
            out.add(Finding.ok(Area.CAMERA, "pi camera " + c.index(), c.sensor() + ", " + c.resolution() + " (" + pi.tool().get() + ")"));
        }
        if (!v4l2.formatsKnown()) {
            out.add(Finding.missing(Area.CAMERA, "v4l2-ctl", "v4l2-ctl is not installed, so the webcams' formats (YUYV, MJPG,"
                    + " H264) and sizes are unknown", Fix.install("v4l-utils")));
        }
        for (V4l2Devices.Device d : v4l2.devices()) {
            if (!v4l2.formatsKnown() || d.offers("YUYV")) {
                out.add(Finding.ok(Area.CAMERA, d.path(), d.describe()));
            } else {
                out.add(Finding.missing(Area.CAMERA, d.path(), d.describe() + "; no YUYV, which is what the hub reads from a"
                        + " webcam", Fix.todo("use a webcam that offers YUYV (v4l2-ctl --list-formats-ext shows it)")));
            }
        }
        if (v4l2.devices().isEmpty()) {
            out.add(Finding.missing(Area.CAMERA, "webcam", "no V4L2 capture device under /dev/video*"
                    + (v4l2.internalNodes() > 0 ? " (besides " + v4l2.internalNodes() + " of the Pi's own codec and ISP nodes)" : ""),
                    Fix.todo("plug in a USB webcam, if you have one")));
        }
    }

    /** No camera in the settings: the cameras found, as the section to paste. */
    private void suggest(Findings out) {
        List<String> yaml = new ArrayList<>(List.of("cameras:"));
        if (!pi.cameras().isEmpty()) {
            yaml.addAll(List.of("  csi:", "    source: rpicam"));
        }
        int n = 0;
        Optional<Alsa.Capture> mic = alsa.captures().stream().findFirst();
        for (V4l2Devices.Device d : v4l2.devices()) {
            if (v4l2.formatsKnown() && !d.offers("YUYV")) {
                continue;
            }
            yaml.add("  " + (n == 0 ? "usb" : "usb" + (n + 1)) + ":");
            yaml.addAll(List.of("    source: v4l2", "    device: " + d.path()));
            Optional<int[]> size = d.bestSize("YUYV");
            if (size.isPresent() && !d.offers("YUYV", 640, 480)) {
                yaml.addAll(List.of("    width: " + size.get()[0], "    height: " + size.get()[1]));
            }
            if (n == 0 && mic.isPresent()) {
                yaml.addAll(List.of("    audio: opus", "    audioDevice: " + mic.get().alsaName()));
            } else {
                yaml.add("    audio: none");
            }
            n++;
        }
        if (yaml.size() > 1) {
            out.add(Finding.missing(Area.CAMERA, "cameras", "no camera in the settings: run shows two test patterns, not the"
                    + " cameras found here", Fix.config(yaml)));
        }
    }

    private void camera(String name, CameraConfig c, boolean testDefaults, Findings out) {
        String shape = c.width() + "x" + c.height() + "@" + c.fps();
        switch (c.source()) {
            case "test" -> {
                out.add(Finding.ok(Area.CAMERA, name, "ffmpeg test pattern" + (c.hasAudio() ? " with a tone" : "")
                        + (testDefaults ? " (no camera in the settings)" : "")));
                out.uses("camera " + name + ": ffmpeg test pattern " + shape + (c.hasAudio() ? ", 440 Hz tone (" + c.audio() + ")" : ""));
            }
            case "rpicam" -> rpicam(name, c, shape, out);
            case "v4l2" -> v4l2(name, c, shape, out);
            case "rtsp" -> rtsp(name, c, out);
            default -> {
                out.add(Finding.ok(Area.CAMERA, name, c.file() + " played in a loop"));
                out.uses("camera " + name + ": " + c.file() + " in a loop, copied" + (c.hasAudio() ? " with its " + c.audio() : ""));
            }
        }
    }

    private void rpicam(String name, CameraConfig c, String shape, Findings out) {
        if (host.which("rpicam-vid").isEmpty()) {
            out.add(Finding.missing(Area.CAMERA, name, "source rpicam, but rpicam-vid is not installed: the camera stays offline",
                    Fix.install("rpicam-apps")));
        } else if (pi.tool().isPresent() && pi.cameras().isEmpty()) {
            out.add(Finding.missing(Area.CAMERA, name, "source rpicam, but no Pi camera is connected: the camera stays offline",
                    Fix.todo("connect the Pi camera (see pi camera above), or remove cameras." + name + " from beeper.yaml")));
        } else {
            String which = pi.cameras().isEmpty() ? "" : " (" + pi.cameras().get(0).sensor() + ")";
            out.add(Finding.ok(Area.CAMERA, name, "rpicam-vid" + which));
            out.uses("camera " + name + ": rpicam-vid" + which + " " + shape + ", the Pi's hardware H.264");
        }
    }

    private void v4l2(String name, CameraConfig c, String shape, Findings out) {
        Optional<V4l2Devices.Device> dev = v4l2.devices().stream().filter(d -> d.path().equals(c.device())).findFirst();
        List<String> others = v4l2.devices().stream().map(V4l2Devices.Device::path).filter(p -> !p.equals(c.device())).toList();
        if (!Files.exists(host.file(c.device()))) {
            out.add(Finding.missing(Area.CAMERA, name, c.device() + " does not exist: the camera stays offline",
                    others.isEmpty() ? Fix.todo("plug in the webcam") : Fix.config(List.of("cameras:", "  " + name + ":", "    device: " + others.get(0)))));
            return;
        }
        if (dev.isEmpty()) {
            out.add(Finding.missing(Area.CAMERA, name, c.device() + " is no video capture device"
                    + (others.isEmpty() ? "" : "; capture devices: " + String.join(", ", others)),
                    others.isEmpty() ? Fix.todo("plug in the webcam") : Fix.config(List.of("cameras:", "  " + name + ":", "    device: " + others.get(0)))));
            return;
        }
        V4l2Devices.Device d = dev.get();
        if (v4l2.formatsKnown() && !d.offers("YUYV")) {
            out.add(Finding.missing(Area.CAMERA, name, d.path() + " offers no YUYV (" + String.join(", ", d.formats().keySet())
                    + "); the hub reads YUYV from webcams", Fix.todo("use a webcam that offers YUYV")));
            return;
        }
        if (v4l2.formatsKnown() && !d.offers("YUYV", c.width(), c.height())) {
            Optional<int[]> best = d.bestSize("YUYV");
            out.add(Finding.missing(Area.CAMERA, name, d.path() + " offers no YUYV " + c.width() + "x" + c.height() + " ("
                    + String.join(", ", d.formats().get("YUYV")) + ")", best.isEmpty() ? Fix.todo("pick a size the camera offers")
                    : Fix.config(List.of("cameras:", "  " + name + ":", "    width: " + best.get()[0], "    height: " + best.get()[1]))));
            return;
        }
        out.add(Finding.ok(Area.CAMERA, name, d.describe()));
        String audio = c.hasAudio() ? ", microphone " + c.audioDevice() + " (" + c.audio() + " " + c.audioBitrateKbps() + " kbit/s)" : "";
        out.uses("camera " + name + ": " + d.path() + (d.name().isEmpty() ? "" : " " + d.name()) + " YUYV " + shape
                + " through ffmpeg/libx264" + audio);
    }

    private void rtsp(String name, CameraConfig c, Findings out) {
        String shown = c.url().replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
        URI uri;
        try {
            uri = URI.create(c.url());
        } catch (IllegalArgumentException e) {
            out.add(Finding.missing(Area.CAMERA, name, shown + " is no URL: " + e.getMessage(),
                    Fix.config(List.of("cameras:", "  " + name + ":", "    url: rtsp://user:password@192.168.1.50:554/stream1"))));
            return;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : c.url().startsWith("rtsps") ? 322 : 554;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.min(5000, host.timeout().toMillis()));
            out.add(Finding.ok(Area.CAMERA, name, shown + " answers on tcp/" + port));
        } catch (IOException | IllegalArgumentException e) {
            out.add(Finding.missing(Area.CAMERA, name, "cannot reach " + uri.getHost() + ":" + port + " (" + e.getMessage()
                    + "): the camera stays offline until it answers", Fix.todo("check that the camera is on and its address in cameras."
                    + name + ".url")));
        }
        out.uses("camera " + name + ": " + shown + ", remuxed" + (c.hasAudio() ? " with its AAC" : ""));
    }

    static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
