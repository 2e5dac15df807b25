package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.config.WebRtcConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.MediaFeature;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Optional;

/**
 * WebRTC (WHEP) next to {@link MediaFeature}: the UDP endpoint on {@code webrtc.udpPort}, the
 * {@code whep} output listed in {@code /api/cameras} (so the page tries WebRTC first) and the health
 * entry {@code webrtc}, and each camera's WebRTC viewers as {@code beeper_viewers{protocol="webrtc"}}.
 * With {@code webrtc.enabled=false} nothing is bound and the page uses MSE.
 */
public final class WebRtcFeature implements Feature {
    private final WebRtcConfig config;
    private final MediaFeature media;
    private volatile WebRtcServer server;

    /** @param meters the hub's meter registry: the viewer counts are read from it at each scrape */
    public WebRtcFeature(WebRtcConfig config, MediaFeature media, MeterRegistry meters) {
        this.config = config;
        this.media = media;
        for (String camera : media.cameras().names()) {
            Gauge.builder("beeper.viewers", this, f -> f.server().map(s -> s.viewers(camera)).orElse(0))
                    .description("viewers per camera and protocol").tags("camera", camera, "protocol", "webrtc").register(meters);
        }
    }

    @Override
    public String name() {
        return "webrtc";
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            return;
        }
        server = new WebRtcServer(config, media.cameras()::stream);
        media.outputs().addOutput("whep", WebRtcFeature::whepPath);
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("webrtc", () -> {
            if (!config.enabled()) {
                return ComponentHealth.up("switched off (webrtc.enabled=false): pages use MSE");
            }
            WebRtcServer s = server;
            return s == null ? ComponentHealth.down("not started") : s.health();
        }));
    }

    /** The WHEP endpoint of a camera, listed under {@code outputs} in {@code /api/cameras}. */
    public static String whepPath(String camera) {
        return "/api/cameras/" + java.net.URLEncoder.encode(camera, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "/whep";
    }

    /** The server while WebRTC is on and started; empty when switched off. */
    public Optional<WebRtcServer> server() {
        return Optional.ofNullable(server);
    }

    @Override
    public void close() {
        WebRtcServer s = server;
        if (s != null) {
            s.close();
        }
    }
}
