package io.beeperkeeper.web.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.MediaOutputs;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;

import io.beeperkeeper.media.camera.CameraCommand;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A Javalin on 127.0.0.1:0 with real test cameras and the media routes, for integration tests. */
public final class MediaServer implements AutoCloseable {
    final Cameras cameras;
    final MediaOutputs outputs;
    final MediaWebModule module;
    public final Javalin app;

    public MediaServer(MediaConfig media, Map<String, CameraConfig> configs) {
        this(media, configs, null);
    }

    /** @param extraStatic another classpath folder served at / (a test page) */
    public MediaServer(MediaConfig media, Map<String, CameraConfig> configs, String extraStatic) {
        this(media, configs, extraStatic, UnaryOperator.identity());
    }

    public MediaServer(MediaConfig media, Map<String, CameraConfig> configs, String extraStatic, UnaryOperator<byte[]> spsInput) {
        List<CameraSupervisor> sups = new ArrayList<>();
        configs.forEach((n, c) -> sups.add(new CameraSupervisor(n, c, media, new Stream(n),
                url -> CameraCommand.build(c, media.ffmpeg(), url), Clock.systemUTC(), spsInput)));
        cameras = new Cameras(sups, media);
        cameras.start();
        outputs = new MediaOutputs(cameras, Clock.systemUTC());
        outputs.start();
        module = new MediaWebModule(outputs, new ObjectMapper());
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.staticFiles.add("/web", Location.CLASSPATH);
            if (extraStatic != null) {
                c.staticFiles.add(extraStatic, Location.CLASSPATH);
            }
            module.register(c.routes);
        });
        app.start("127.0.0.1", 0);
    }

    public String http() {
        return "http://127.0.0.1:" + app.port();
    }

    public String ws(String camera) {
        return "ws://127.0.0.1:" + app.port() + "/api/cameras/" + camera + "/ws";
    }

    public static CameraConfig camera(int width, int height, int kbps, String audio) {
        return new CameraConfig("test", width, height, 15, kbps, 1.0, null, audio, null, null, null, null).validated("t");
    }

    @Override
    public void close() {
        app.stop();
        outputs.close();
        cameras.close();
    }
}
