package io.beeperkeeper;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks a listening address before a server takes it, so a clash gets a message naming the setting. */
public final class Ports {
    private Ports() {
    }

    /**
     * @param what   "web" or "MQTT", for the message
     * @param fix    the settings that move it, e.g. "--port, web.port in beeper.yaml or BEEPER_WEB_PORT"
     */
    public static void requireFree(String host, int port, String what, String fix) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new StartupException(what + " port " + port + " on " + host + " is already in use by another program. "
                    + "Stop that program or choose another port with " + fix + ".");
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new StartupException("cannot listen on " + host + ":" + port + " for " + what + ": " + e.getMessage()
                    + ". Check " + fix + ".");
        }
    }

    /** A currently free port on 127.0.0.1 (tests, port 0 in settings for servers that need a number up front). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free TCP port on loopback", e);
        }
    }
}
