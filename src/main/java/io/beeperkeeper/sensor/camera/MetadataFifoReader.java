package io.beeperkeeper.sensor.camera;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Reads the camera's metadata FIFO ({@code rpicam-vid --metadata <fifo>}) on its own thread and feeds a
 * {@link MetadataParser}: no file grows, nothing is re-read or rotated. The FIFO is created with
 * {@code mkfifo} if missing (rpicam would otherwise create a regular, growing file). It is opened
 * read-write, which Linux allows for FIFOs: the open does not block waiting for the camera, and a camera
 * restart is not an end of file, so one open serves the hub's lifetime; the parser's recovery handles a
 * record cut by the restart. {@link #close()} wakes the blocked read by writing a newline into the FIFO.
 */
public final class MetadataFifoReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataFifoReader.class);
    private final Path fifo;
    private final MetadataParser parser;
    private volatile boolean running;
    private volatile RandomAccessFile file;
    private Thread thread;

    public MetadataFifoReader(Path fifo, MetadataParser parser) {
        this.fifo = fifo;
        this.parser = parser;
    }

    /** Creates the FIFO if needed and starts reading. */
    public synchronized void start() throws IOException {
        ensureFifo(fifo);
        file = new RandomAccessFile(fifo.toFile(), "rw");
        running = true;
        thread = io.beeperkeeper.feature.Threads.start("camera-metadata-" + fifo.getFileName(), this::run);
    }

    static void ensureFifo(Path fifo) throws IOException {
        if (Files.exists(fifo)) {
            PosixFileAttributes a = Files.readAttributes(fifo, PosixFileAttributes.class);
            if (!a.isOther()) {
                throw new IOException(fifo + " exists and is not a FIFO; remove it so the hub can create one");
            }
            return;
        }
        Files.createDirectories(fifo.toAbsolutePath().getParent());
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mkfifo " + fifo + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating " + fifo);
        }
    }

    private void run() {
        byte[] buf = new byte[4096];
        while (running) {
            int n;
            try {
                n = file.read(buf);
            } catch (IOException e) {
                if (running) {
                    log.warn("camera metadata FIFO {}: read failed: {}", fifo, e.getMessage());
                }
                return;
            }
            if (n < 0) {
                parser.endOfStream();
                return;
            }
            if (running) {
                parser.feed(buf, 0, n);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            file.write('\n');
            thread.join(2000);
            file.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", fifo, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
