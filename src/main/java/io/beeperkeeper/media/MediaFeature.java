package io.beeperkeeper.media;

import io.beeperkeeper.config.CamerasConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.PageEvents;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.camera.CameraState;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.List;

/**
 * Live video: the cameras from the config (two test cameras when none is configured), each a
 * supervised process feeding a {@link Stream}; health entries {@code camera.<name>}; state changes
 * pushed to the page as the event {@code camera}; the outputs' shared parts ({@link MediaOutputs}:
 * LL-HLS, fragment caches, viewers, snapshots), served by {@code web/media}. Closing disconnects the
 * viewers and stops the camera processes. Per camera, its meters: frames relayed and dropped,
 * restarts, whether it is live, and its MSE and LL-HLS viewers ({@code beeper_viewers}).
 */
public final class MediaFeature implements Feature {
    private final Cameras cameras;
    private final MediaOutputs outputs;
    private final PageEvents events;
    private final PcmListener microphone;

    /**
     * @param microphone gets the PCM of the first camera with audio (the sound-level meter);
     *                   a do-nothing listener when nobody measures it
     * @param meters     the hub's meter registry: each camera's counts are read from it at each scrape
     */
    public MediaFeature(CamerasConfig camerasConfig, MediaConfig media, PageEvents events, PcmListener microphone,
                        MeterRegistry meters) {
        this.cameras = new Cameras(camerasConfig.effective(), media);
        // the wall clock paces the connection rate limit: it never stands still, as a test's clock may
        this.outputs = new MediaOutputs(cameras, Clock.systemUTC());
        this.events = events;
        this.microphone = microphone;
        cameras.all().forEach(cam -> registerMeters(cam, meters));
    }

    private void registerMeters(CameraSupervisor cam, MeterRegistry meters) {
        String name = cam.name();
        FunctionCounter.builder("beeper.camera.frames.relayed", cam.stream(), Stream::framesPublished)
                .description("frames (video and audio) the camera gave the hub's outputs").tag("camera", name).register(meters);
        FunctionCounter.builder("beeper.camera.frames.dropped", cam.stream(), Stream::framesDropped)
                .description("frames thrown away for viewers who fell behind (they skip to the next keyframe)")
                .tag("camera", name).register(meters);
        FunctionCounter.builder("beeper.camera.restarts", cam, c -> c.state().restarts())
                .description("restarts of the camera's process").tag("camera", name).register(meters);
        FunctionCounter.builder("beeper.camera.malformed.units", cam, CameraSupervisor::malformedUnits)
                .description("malformed video units skipped").tag("camera", name).register(meters);
        Gauge.builder("beeper.camera.live", cam, c -> c.state().status() == CameraState.Status.LIVE ? 1 : 0)
                .description("1 while the camera delivers frames, 0 while starting or offline").tag("camera", name).register(meters);
        Gauge.builder("beeper.viewers", outputs, o -> o.viewers().count(name))
                .description("viewers per camera and protocol").tags("camera", name, "protocol", "mse").register(meters);
        Gauge.builder("beeper.viewers", outputs, o -> o.hlsViewers(name))
                .description("viewers per camera and protocol").tags("camera", name, "protocol", "llhls").register(meters);
    }

    @Override
    public String name() {
        return "media";
    }

    @Override
    public void start() {
        cameras.all().stream().filter(c -> c.config().hasAudio()).findFirst()
                .ifPresent(c -> c.setPcmListener(microphone));
        cameras.onStateChange((cam, state) -> events.publish("camera", Cameras.stateEvent(cam, state)));
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
