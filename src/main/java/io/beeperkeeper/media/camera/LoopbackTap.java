package io.beeperkeeper.media.camera;

import io.beeperkeeper.feature.Threads;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A one-connection loopback TCP port for an extra output of a camera process (its audio, the PCM for
 * the sound-level meter): ffmpeg writes to {@link #url()}, and one thread reads that connection until
 * the process ends. Two plain byte streams keep each parser trivial and add no muxing delay.
 */
final class LoopbackTap implements AutoCloseable {
    /** Reads the tap's one connection until it ends. */
    @FunctionalInterface
    interface Reader {
        void read(InputStream in) throws IOException;
    }

    /** What the owner hears when the tap ends badly. */
    interface Failure {
        /** The process never connected within the accept timeout. */
        void neverConnected();

        /** The connection failed while reading. */
        void failed(IOException e);
    }

    private final ServerSocket server;
    private volatile Thread thread;

    private LoopbackTap(ServerSocket server) {
        this.server = server;
    }

    /** Opens a loopback port; a process that has not connected within {@code acceptTimeout} is given up on. */
    static LoopbackTap open(Duration acceptTimeout) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, acceptTimeout.toMillis()));
        return new LoopbackTap(server);
    }

    String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Starts the thread that accepts the one connection and hands it to {@code reader}. */
    void start(String threadName, Reader reader, Failure failure) {
        thread = Threads.start(threadName, () -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                reader.read(in);
            } catch (SocketTimeoutException e) {
                failure.neverConnected();
            } catch (IOException e) {
                failure.failed(e);
            }
        });
    }

    /** Closes the port; a connection being read ends with the process that writes it. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
