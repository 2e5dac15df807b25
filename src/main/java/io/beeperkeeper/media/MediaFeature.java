package io.beeperkeeper.media;

import io.beeperkeeper.config.CamerasConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.PageEvents;
import io.beeperkeeper.health.HealthCheck;

import java.time.Clock;
import java.util.List;

/**
 * Live video: the cameras from the config (two test cameras when none is configured), each a
 * supervised process feeding a {@link Stream}; health entries {@code camera.<name>}; state changes
 * pushed to the page as the event {@code camera}; the outputs' shared parts ({@link MediaOutputs}:
 * LL-HLS, fragment caches, viewers, snapshots), served by {@code web/media}. Closing disconnects the
 * viewers and stops the camera processes.
 */
public final class MediaFeature implements Feature {
    private final Cameras cameras;
    private final MediaOutputs outputs;
    private final PageEvents events;
    private final PcmListener microphone;

    /**
     * @param microphone gets the PCM of the first camera with audio (the sound-level meter);
     *                   a do-nothing listener when nobody measures it
     */
    public MediaFeature(CamerasConfig camerasConfig, MediaConfig media, PageEvents events, PcmListener microphone) {
        this.cameras = new Cameras(camerasConfig.effective(), media);
        // the wall clock paces the connection rate limit: it never stands still, as a test's clock may
        this.outputs = new MediaOutputs(cameras, Clock.systemUTC());
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
        outputs.start();
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

    /** What the outputs share (web/media serves them); other outputs (WHEP) add themselves here. */
    public MediaOutputs outputs() {
        return outputs;
    }

    @Override
    public void close() {
        outputs.close();
        cameras.close();
    }
}
