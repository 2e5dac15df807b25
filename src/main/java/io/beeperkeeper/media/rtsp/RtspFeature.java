package io.beeperkeeper.media.rtsp;

import io.beeperkeeper.config.RtspConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.MediaFeature;

import java.util.List;
import java.util.Optional;

/**
 * RTSP out next to {@link MediaFeature}: every camera at {@code rtsp://<hub>:<rtsp.port>/<camera>} for
 * other apps (Home Assistant, Frigate, VLC, NVRs), health entry {@code rtsp}. With
 * {@code rtsp.enabled=false} nothing is bound.
 */
public final class RtspFeature implements Feature {
    private final RtspConfig config;
    private final MediaFeature media;
    private volatile RtspServer server;

    public RtspFeature(RtspConfig config, MediaFeature media) {
        this.config = config;
        this.media = media;
    }

    @Override
    public String name() {
        return "rtsp";
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            return;
        }
        RtspServer s = new RtspServer(config, media.cameras()::stream);
        s.start();
        server = s;
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("rtsp", () -> {
            if (!config.enabled()) {
                return ComponentHealth.up("switched off (rtsp.enabled=false)");
            }
            RtspServer s = server;
            return s == null ? ComponentHealth.down("not started") : s.health();
        }));
    }

    /** The server while RTSP is on and started. */
    public Optional<RtspServer> server() {
        return Optional.ofNullable(server);
    }

    @Override
    public void close() {
        RtspServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
