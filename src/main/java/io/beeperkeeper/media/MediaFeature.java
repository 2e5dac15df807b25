package io.beeperkeeper.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.CamerasConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.media.web.MediaWebModule;
import io.beeperkeeper.web.WebModule;

import java.util.function.BiConsumer;

/**
 * Live video wired for {@code App} in one call: the cameras from the config (two test cameras when
 * none is configured), their supervisors started, health entries {@code camera.<name>}, state changes
 * pushed as the page event {@code camera}, and the HTTP/WebSocket routes. Closing stops the camera
 * processes and disconnects the viewers.
 */
public final class MediaFeature implements AutoCloseable {
    private final Cameras cameras;
    private final MediaWebModule web;

    private MediaFeature(Cameras cameras, MediaWebModule web) {
        this.cameras = cameras;
        this.web = web;
    }

    /**
     * @param publishEvent {@code LiveEvents::publish} (event name, JSON-able payload)
     */
    public static MediaFeature start(CamerasConfig camerasConfig, MediaConfig media, HealthRegistry health, ObjectMapper json,
                                     BiConsumer<String, Object> publishEvent) {
        return start(camerasConfig, media, health, json, publishEvent, null);
    }

    /**
     * @param microphone gets the PCM of the first camera with audio (the seed's USB camera), or null
     */
    public static MediaFeature start(CamerasConfig camerasConfig, MediaConfig media, HealthRegistry health, ObjectMapper json,
                                     BiConsumer<String, Object> publishEvent, PcmListener microphone) {
        Cameras cameras = new Cameras(camerasConfig.effective(), media, health);
        if (microphone != null) {
            cameras.all().stream().filter(c -> c.config().hasAudio()).findFirst()
                    .ifPresent(c -> c.setPcmListener(microphone));
        }
        cameras.onStateChange((name, state) -> publishEvent.accept("camera", Cameras.stateEvent(name, state)));
        MediaWebModule web = new MediaWebModule(cameras, json);
        cameras.start();
        return new MediaFeature(cameras, web);
    }

    /** The routes: /api/cameras, MSE WebSocket, LL-HLS, snapshots. */
    public WebModule web() {
        return web;
    }

    /** For other outputs (WebRTC) that look streams up by camera name. */
    public Cameras cameras() {
        return cameras;
    }

    /** Lets another output (e.g. WebRTC's {@code whep}) appear in {@code /api/cameras}. */
    public MediaWebModule webModule() {
        return web;
    }

    @Override
    public void close() {
        web.close();
        cameras.close();
    }
}
