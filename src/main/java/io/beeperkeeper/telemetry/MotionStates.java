package io.beeperkeeper.telemetry;

import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.mqtt.MqttLink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Each camera's motion state on MQTT ({@code <prefix>/<node>/camera/<camera>/motion}, retained), kept
 * so it can be sent again: the embedded broker keeps no retained message across a restart and an
 * outside broker may have been away when motion started or ended, so after every (re)connect of the
 * link each camera's newest state is published once more, as the alerts' states and the Home
 * Assistant configs are. Publishes run in order on one thread (a QoS 1 publish waits for the broker,
 * never on the motion detector's thread), and each sends the camera's newest state, so an "OFF" never
 * overtakes the "ON" before it.
 */
final class MotionStates implements AutoCloseable {
    private final MqttLink link;
    private final TopicLayout topics;
    private final Map<String, byte[]> newest = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Threads.daemon("mqtt-motion"));

    /** Registers the after-connect re-send on {@code link}; call before the link starts. */
    MotionStates(MqttLink link, TopicLayout topics) {
        this.link = link;
        this.topics = topics;
        link.onConnect(() -> newest.keySet().forEach(this::send));
    }

    /** The camera's state is now {@code payload}: published now, and again after each reconnect. */
    void set(String camera, byte[] payload) {
        newest.put(camera, payload.clone());
        send(camera);
    }

    private void send(String camera) {
        try {
            sender.execute(() -> {
                byte[] p = newest.get(camera);
                if (p != null && link.connected()) {
                    link.publish(topics.motionTopic(camera), p, 1, true);
                }
            });
        } catch (RejectedExecutionException closing) {
            // the hub is stopping
        }
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
    }
}
