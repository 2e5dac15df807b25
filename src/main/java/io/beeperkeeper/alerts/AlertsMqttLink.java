package io.beeperkeeper.alerts;

import io.beeperkeeper.feature.Threads;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The alerts' own connection to the hub's broker: connects in the background (retrying every 5 s,
 * then Paho reconnects by itself), runs the {@code onConnect} actions after every (re)connect on its
 * own thread (never Paho's callback thread, where a QoS 1 publish could wait for itself), and
 * publishes only while connected; the dispatcher retries otherwise.
 */
final class AlertsMqttLink implements AutoCloseable {
    private final String url;
    private final String clientId;
    private final String username;
    private final String password;
    private final List<Runnable> onConnect = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(Threads.daemon("alerts-mqtt"));
    private volatile MqttClient client;
    private volatile boolean closed;

    AlertsMqttLink(String url, String clientId, String username, String password) {
        this.url = url;
        this.clientId = clientId;
        this.username = username;
        this.password = password;
    }

    void onConnect(Runnable r) {
        onConnect.add(r);
    }

    void start() {
        try {
            MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
            c.setCallback(new MqttCallbackExtended() {
                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                    exec.execute(() -> onConnect.forEach(Runnable::run));
                }

                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            client = c;
        } catch (MqttException e) {
            throw new IllegalArgumentException("bad MQTT broker address '" + url + "': " + e.getMessage(), e);
        }
        exec.execute(this::connect);
    }

    private void connect() {
        MqttClient c = client;
        if (closed || c == null || c.isConnected()) {
            return;
        }
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(true);
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        if (!username.isEmpty()) {
            o.setUserName(username);
            o.setPassword(password.toCharArray());
        }
        try {
            c.connect(o);
        } catch (MqttException e) {
            if (!closed) {
                exec.schedule(this::connect, 5, TimeUnit.SECONDS);
            }
        }
    }

    boolean publish(String topic, byte[] payload, boolean retained) {
        MqttClient c = client;
        if (c == null || !c.isConnected()) {
            return false;
        }
        try {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            m.setRetained(retained);
            c.publish(topic, m);
            return true;
        } catch (MqttException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        exec.shutdownNow();
        MqttClient c = client;
        if (c != null) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1000);
                }
                c.close(true);
            } catch (MqttException ignored) {
                // shutting down
            }
        }
    }
}
