package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.config.WebRtcConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.media.MediaFeature;
import io.beeperkeeper.web.WebModule;

/**
 * WebRTC (WHEP) wired for {@code App} in one call, next to {@link MediaFeature}: the UDP endpoint on
 * {@code webrtc.udpPort}, the {@code whep} output listed in {@code /api/cameras} (so the page tries
 * WebRTC first), the health entry {@code webrtc} and the WHEP routes. With {@code webrtc.enabled=false}
 * nothing is bound and the page simply uses MSE.
 */
public final class WebRtcFeature implements AutoCloseable {
    private final WebRtcServer server;

    private WebRtcFeature(WebRtcServer server) {
        this.server = server;
    }

    public static WebRtcFeature start(WebRtcConfig config, MediaFeature media, HealthRegistry health) {
        if (!config.enabled()) {
            health.register("webrtc", () -> ComponentHealth.up("switched off (webrtc.enabled=false): pages use MSE"));
            return new WebRtcFeature(null);
        }
        WebRtcServer server = new WebRtcServer(config, media.cameras()::stream);
        media.webModule().addOutput("whep", WhepModule::path);
        health.register("webrtc", server::health);
        return new WebRtcFeature(server);
    }

    /** The server, or null when switched off (tests, diagnostics). */
    public WebRtcServer server() {
        return server;
    }

    /** The WHEP routes (none when switched off). */
    public WebModule web() {
        return server == null ? app -> { } : new WhepModule(server);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
