package io.beeperkeeper.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.beeperkeeper.Ports;
import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.feature.Json;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ports the settings listen on (web, the embedded MQTT broker, WebRTC's UDP port, RTSP's TCP port
 * and UDP pair), each bound for a moment the way the hub binds it: one in use stops run from starting.
 * When a Beeper Keeper hub already answers on the web port (the installed service, typically), its
 * ports are reported as held by it, not as blockers: the machine works, only a second hub cannot start.
 */
final class PortProbe implements Probe {
    /** A port the hub listens on, with the key that moves it (dotted, as in beeper.yaml). */
    record Listen(String what, String protocol, String host, int port, String key) {
    }

    static List<Listen> listens(BeeperConfig c) {
        List<Listen> out = new ArrayList<>();
        out.add(new Listen("web page", "tcp", c.web().host(), c.web().port(), "web.port"));
        if (c.mqtt().broker().equals("embedded")) {
            out.add(new Listen("MQTT broker", "tcp", c.mqtt().host(), c.mqtt().port(), "mqtt.port"));
        }
        if (c.webrtc().enabled()) {
            out.add(new Listen("WebRTC", "udp", c.webrtc().udpHost(), c.webrtc().udpPort(), "webrtc.udpPort"));
        }
        if (c.rtsp().enabled()) {
            out.add(new Listen("RTSP", "tcp", c.rtsp().host(), c.rtsp().port(), "rtsp.port"));
            if (c.rtsp().udpPort() != 0) {
                out.add(new Listen("RTSP RTP/RTCP", "udp", c.rtsp().host(), c.rtsp().udpPort(), "rtsp.udpPort"));
            }
        }
        return out;
    }

    @Override
    public void probe(BeeperConfig config, Findings out) {
        List<String> uses = new ArrayList<>();
        Optional<String> hub = runningHub(config);
        for (Listen l : listens(config)) {
            String where = l.what() + " on " + l.host() + ":" + l.port() + " (" + l.key() + ")";
            if (l.port() == 0) {
                out.add(Finding.ok(Area.PORT, l.protocol() + "/0", where + ": a free port is picked at start"));
                continue;
            }
            boolean pair = l.key().equals("rtsp.udpPort");
            String name = l.protocol() + "/" + l.port() + (pair ? "-" + (l.port() + 1) : "");
            String busy = busy(l, l.port(), pair);
            if (busy.isEmpty()) {
                out.add(Finding.ok(Area.PORT, name, where + ": free"));
                uses.add(l.what() + " " + name);
            } else if (hub.isPresent()) {
                out.add(Finding.missing(Area.PORT, name, where + ": held by the Beeper Keeper hub already running here ("
                        + hub.get() + "); a second 'beeper run' cannot start beside it",
                        Fix.run("sudo systemctl stop beeper-keeper   # only to run a hub by hand instead of the service")));
            } else {
                String[] key = l.key().split("\\.");
                out.add(Finding.blocker(Area.PORT, name, where + ": " + busy + " (is Beeper Keeper already running? sudo systemctl stop"
                        + " beeper-keeper; 'sudo ss -lntup' names the program)",
                        Fix.config(List.of(key[0] + ":", "  " + key[1] + ": " + freeAfter(l, pair)))));
            }
        }
        if (!uses.isEmpty()) {
            out.uses("ports: " + String.join(", ", uses));
        }
    }

    /**
     * The version of the Beeper Keeper hub that answers /api/health on the web port, or empty when the
     * port is free or something else holds it.
     */
    static Optional<String> runningHub(BeeperConfig c) {
        String host = c.web().host().isBlank() || c.web().host().equals("0.0.0.0") || c.web().host().equals("::")
                ? "127.0.0.1" : c.web().host();
        if (c.web().port() == 0 || tcpBusy(new Listen("web page", "tcp", c.web().host(), c.web().port(), "web.port"), c.web().port()).isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host)
                    + ":" + c.web().port() + "/api/health")).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.newMapper().readTree(answer.body());
            String status = body.path("status").asText();
            if (!status.equals("up") && !status.equals("degraded")) {
                return Optional.empty();
            }
            return Optional.of(body.has("version") ? "version " + body.get("version").asText() + ", " + status : status);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Why the port (and with {@code pair} the next one) cannot be bound, or "" when it is free. */
    private static String busy(Listen l, int port, boolean pair) {
        String first = l.protocol().equals("tcp") ? tcpBusy(l, port) : udpBusy(l.host(), port);
        return first.isEmpty() && pair ? udpBusy(l.host(), port + 1) : first;
    }

    /** The next free port above the taken one (even for the RTSP pair), to paste. */
    private static int freeAfter(Listen l, boolean pair) {
        int step = pair ? 2 : 1;
        for (int p = l.port() + step; p < Math.min(65535, l.port() + 200); p += step) {
            if (busy(l, p, pair).isEmpty()) {
                return p;
            }
        }
        return l.port() + step;
    }

    private static String tcpBusy(Listen l, int port) {
        try {
            Ports.requireFree(l.host(), port, l.what(), l.key());
            return "";
        } catch (StartupException e) {
            return e.getMessage().contains("already in use") ? "in use by another program" : e.getMessage();
        }
    }

    private static String udpBusy(String host, int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), port))) {
            return "";
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return e instanceof java.net.BindException ? "in use by another program" : String.valueOf(e.getMessage());
        }
    }
}
