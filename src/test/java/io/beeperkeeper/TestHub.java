package io.beeperkeeper;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starts a whole hub for a test: loopback only, free ports, a temporary data folder. */
public final class TestHub {
    private TestHub() {
    }

    public static App start(Path dataDir, Map<String, String> extra) {
        return start(dataDir, extra, Clock.systemUTC());
    }

    /** @param clock the hub's clock: sensors stamp their readings with it */
    public static App start(Path dataDir, Map<String, String> extra, Clock clock) {
        return start(dataDir, null, extra, clock);
    }

    /**
     * @param yaml a beeper.yaml to read first (e.g. a {@code cameras:} section, which has no dotted
     *             keys), written into {@code dataDir}; null for none
     */
    public static App start(Path dataDir, String yaml, Map<String, String> extra, Clock clock) {
        return build(dataDir, yaml, extra, clock).start();
    }

    /** The same hub, built but not started (a test adds a feature of its own, or starts it in another thread). */
    public static App build(Path dataDir, Map<String, String> extra) {
        return build(dataDir, null, extra, Clock.systemUTC());
    }

    private static App build(Path dataDir, String yaml, Map<String, String> extra, Clock clock) {
        Path file = null;
        if (yaml != null) {
            try {
                Files.createDirectories(dataDir);
                file = Files.writeString(dataDir.resolve("beeper.yaml"), yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> o = new LinkedHashMap<>();
        o.put("web.host", "127.0.0.1");
        o.put("web.port", "0");
        o.put("mqtt.host", "127.0.0.1");
        o.put("mqtt.port", Integer.toString(Ports.freePort()));
        o.put("data.dir", dataDir.toString());
        o.put("sensors.mode", "simulated");
        o.put("node.name", "testnode");
        o.put("webrtc.udpHost", "127.0.0.1");
        o.put("webrtc.udpPort", "0"); // several hubs run at once in tests
        o.put("rtsp.host", "127.0.0.1");
        o.put("rtsp.port", "0");
        o.put("rtsp.udpPort", "0");
        o.put("thermal.enabled", "false"); // the test machine's own CPU heat must not lower the test cameras
        o.put("motion.enabled", "false"); // a decoder per camera is for the tests of motion only
        o.put("recordings.enabled", "false"); // no pre-roll buffers or clips unless a test asks for them
        o.putAll(extra);
        BeeperConfig config = new ConfigLoader().load(file, Map.of(), o);
        return new App(config, clock);
    }
}
