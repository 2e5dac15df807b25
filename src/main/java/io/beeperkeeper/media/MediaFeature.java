package io.beeperkeeper.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.CamerasConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.PageEvents;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.web.MediaWebModule;

import java.util.List;

/**
 * Live video: the cameras from the config (two test cameras when none is configured), each a
 * supervised process feeding a {@link Stream}; health entries {@code camera.<name>}; state changes
 * pushed to the page as the event {@code camera}. Closing stops the camera processes and disconnects
 * the viewers.
 */
public final class MediaFeature implements Feature {
    private final Cameras cameras;
    private final MediaWebModule web;
    private final PageEvents events;
    private final PcmListener microphone;

    /**
     * @param microphone gets the PCM of the first camera with audio (the sound-level meter);
     *                   a do-nothing listener when nobody measures it
     */
    public MediaFeature(CamerasConfig camerasConfig, MediaConfig media, ObjectMapper json, PageEvents events,
                        PcmListener microphone) {
        this.cameras = new Cameras(camerasConfig.effective(), media);
        this.web = new MediaWebModule(cameras, json);
        this.events = events;
        this.microphone = microphone;
    }

    @Override
    public String name() {
        return "media";
    }

    @Override
    public void start() {
        cameras.all().stream().filter(c -> c.config().hasAudio()).findFirst()
                .ifPresent(c -> c.setPcmListener(microphone));
        cameras.onStateChange((name, state) -> events.publish("camera", Cameras.stateEvent(name, state)));
        cameras.start();
    }

    @Override
    public List<HealthCheck> health() {
        return cameras.all().stream()
                .map(cam -> new HealthCheck("camera." + cam.name(), () -> Cameras.health(cam)))
                .toList();
    }

    /** For other outputs (WebRTC) that look streams up by camera name. */
    public Cameras cameras() {
        return cameras;
    }

    /** The routes: /api/cameras, MSE WebSocket, LL-HLS, snapshots; other outputs add themselves here. */
    public MediaWebModule webModule() {
        return web;
    }

    @Override
    public void close() {
        web.close();
        cameras.close();
    }
}
