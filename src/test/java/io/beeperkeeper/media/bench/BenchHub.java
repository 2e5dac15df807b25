package io.beeperkeeper.media.bench;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.h264.SpsRewriter;
import io.beeperkeeper.web.media.MediaServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The media part of the hub alone, as a separate JVM for {@link MediaBench} (so the hub's CPU and RSS
 * are measured without the browser or the load clients): two test cameras like a fresh install, csi
 * (video) and usb (video + Opus tone), 640x480@15, the media routes and the player page.
 */
public final class BenchHub {
    public static void main(String[] args) throws Exception {
        Map<String, CameraConfig> cams = new LinkedHashMap<>();
        String profile = System.getProperty("profile", "baseline");
        cams.put("csi", new CameraConfig("test", 640, 480, 15, 800, 2.0, null, "none", null, null, null, null, profile).validated("csi"));
        cams.put("usb", new CameraConfig("test", 640, 480, 15, 800, 2.0, null, "opus", null, null, null, null, profile).validated("usb"));
        // -Dsps=hw: SPS without VUI, as from the Pi's hardware encoder, rewritten by the hub (default path);
        // -Dsps=hw-raw: the same SPS passed on unchanged (what the browser sees without the rewrite).
        String sps = System.getProperty("sps", "x264");
        MediaConfig media = new MediaConfig("ffmpeg", 5, 20, 30, !sps.equals("hw-raw"), 90, 10, 500, 10000);
        MediaServer server = new MediaServer(media, cams, "/media-test",
                sps.startsWith("hw") ? SpsRewriter::withoutVui : UnaryOperator.identity());
        System.out.println("PORT " + server.app.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
