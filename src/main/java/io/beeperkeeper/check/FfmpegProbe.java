package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.CameraConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ffmpeg (media.ffmpeg) and the encoders the cameras of the settings need: libx264 for the test
 * pattern and webcams, libopus or aac for their sound. h264_v4l2m2m (the Pi's hardware encoder) is
 * listed for information: the hub's Pi camera path encodes in rpicam-vid.
 */
final class FfmpegProbe implements Probe {
    static final List<String> ENCODERS = List.of("libx264", "h264_v4l2m2m", "libopus", "aac");
    private static final Pattern ENCODER = Pattern.compile("^\\s*[VAS][A-Z.]{5}\\s+(\\S+)");
    private final Host host;

    FfmpegProbe(Host host) {
        this.host = host;
    }

    @Override
    public void probe(BeeperConfig config, Findings out) {
        String command = config.media().ffmpeg();
        Set<String> needed = new LinkedHashSet<>();
        for (CameraConfig c : config.cameras().effective().values()) {
            if (c.source().equals("test") || c.source().equals("v4l2")) {
                needed.add("libx264");
                if (c.audio().equals("opus")) {
                    needed.add("libopus");
                }
                if (c.audio().equals("aac")) {
                    needed.add("aac");
                }
            }
        }
        boolean anyFfmpegCamera = config.cameras().effective().values().stream().anyMatch(c -> !c.source().equals("rpicam"));
        Optional<Path> exe = host.which(command);
        if (exe.isEmpty()) {
            out.add(Finding.missing(Area.FFMPEG, command, command + " is not installed" + (anyFfmpegCamera
                    ? ": every camera but rpicam ones stays offline" : ""), Fix.install("ffmpeg")));
            return;
        }
        String version = CameraProbe.firstLine(host.run(exe.get(), "-hide_banner", "-version").text());
        Set<String> encoders = encoders(host.run(exe.get(), "-hide_banner", "-encoders").text());
        List<String> has = new ArrayList<>();
        List<String> lacks = new ArrayList<>();
        for (String e : ENCODERS) {
            (encoders.contains(e) ? has : lacks).add(e);
        }
        out.add(Finding.ok(Area.FFMPEG, command, exe.get() + " (" + version.replaceFirst("^ffmpeg version ", "").split(" ")[0]
                + "); encoders " + (has.isEmpty() ? "none of " + ENCODERS : String.join(", ", has))
                + (lacks.isEmpty() ? "" : "; not " + String.join(", ", lacks))));
        for (String e : needed) {
            if (!encoders.contains(e)) {
                out.add(Finding.missing(Area.FFMPEG, e, command + " has no " + e + " encoder, which the cameras of the settings need",
                        Fix.install("ffmpeg")));
            }
        }
    }

    static Set<String> encoders(String listing) {
        Set<String> out = new LinkedHashSet<>();
        boolean table = false;
        for (String line : listing.split("\n")) {
            if (line.strip().startsWith("------")) {
                table = true;
                continue;
            }
            Matcher m = ENCODER.matcher(line);
            if (table && m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
