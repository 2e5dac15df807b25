package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.metric.MetricSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Optional mirror of every reading into InfluxDB for those who keep Grafana: line protocol
 * ({@code <measurement>,node=<node> <metric>=<value> <ms>}), batched every {@code flushSeconds}, to
 * InfluxDB 1.x ({@code /write?db=}) or 2.x ({@code /api/v2/write} with a token).
 *
 * <p>While InfluxDB is down, lines wait in a bounded buffer (the oldest are dropped and counted when it
 * is full) and the batch is retried with growing pauses up to a minute. A batch InfluxDB refuses as
 * malformed (400) is dropped, so one bad line cannot block the mirror forever.
 */
final class InfluxMirror implements HistoryMirror {
    private static final Logger log = LoggerFactory.getLogger(InfluxMirror.class);
    private static final int MAX_LINES_PER_REQUEST = 5000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final HistoryConfig.Influx config;
    private final HttpClient http;
    private final URI writeUri;
    private final ArrayDeque<String> buffer = new ArrayDeque<>();
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String lastError;
    private volatile boolean running = true;
    private boolean databaseEnsured;

    /** Starts the sender thread: built in {@link HistoryFeature#start()}, never earlier. */
    InfluxMirror(HistoryConfig.Influx config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.writeUri = writeUri(config);
        this.thread = Threads.start("influx-mirror", this::run);
    }

    static URI writeUri(HistoryConfig.Influx c) {
        String base = c.url().endsWith("/") ? c.url().substring(0, c.url().length() - 1) : c.url();
        if (c.version() == 2) {
            return URI.create(base + "/api/v2/write?org=" + enc(c.org()) + "&bucket=" + enc(c.bucket()) + "&precision=ms");
        }
        return URI.create(base + "/write?db=" + enc(c.database()) + "&precision=ms");
    }

    /** One line of line protocol for a sample (escaping as the protocol asks). */
    static String line(String measurement, MetricSample s) {
        StringBuilder b = new StringBuilder(64);
        escape(b, measurement, false);
        if (s.node() != null && !s.node().isEmpty()) {
            b.append(",node=");
            escape(b, s.node(), true);
        }
        b.append(' ');
        escape(b, s.metric(), true);
        b.append('=').append(s.value());
        if (s.time() != null) {
            b.append(' ').append(s.time().toEpochMilli());
        }
        return b.toString();
    }

    private static void escape(StringBuilder b, String s, boolean equalsToo) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || (equalsToo && c == '=') || c == '\\') {
                b.append('\\');
            }
            if (c == '\n' || c == '\r') {
                continue;
            }
            b.append(c);
        }
    }

    @Override
    public void onSample(MetricSample sample) {
        if (!running || sample == null) {
            return;
        }
        String line = line(config.measurement(), sample);
        synchronized (buffer) {
            if (buffer.size() >= config.bufferCapacity()) {
                buffer.pollFirst();
                long n = dropped.incrementAndGet();
                if (n == 1 || n % 1000 == 0) {
                    log.warn("InfluxDB mirror: buffer full ({} readings), {} oldest readings dropped so far; is InfluxDB at {} up?",
                            config.bufferCapacity(), n, config.url());
                }
            }
            buffer.addLast(line);
            if (buffer.size() >= MAX_LINES_PER_REQUEST) {
                buffer.notifyAll();
            }
        }
    }

    private void run() {
        Duration pause = Duration.ofSeconds(config.flushSeconds());
        while (running) {
            List<String> batch;
            synchronized (buffer) {
                try {
                    if (buffer.size() < MAX_LINES_PER_REQUEST) {
                        buffer.wait(pause.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                batch = new ArrayList<>(Math.min(buffer.size(), MAX_LINES_PER_REQUEST));
                var it = buffer.iterator();
                while (it.hasNext() && batch.size() < MAX_LINES_PER_REQUEST) {
                    batch.add(it.next());
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            if (send(batch)) {
                synchronized (buffer) {
                    // Lines may have been dropped from the head meanwhile (buffer full): remove only ours.
                    for (int i = 0; i < batch.size() && !buffer.isEmpty(); i++) {
                        if (buffer.peekFirst() == batch.get(i)) {
                            buffer.pollFirst();
                        }
                    }
                    buffer.notifyAll();
                }
                pause = Duration.ofSeconds(config.flushSeconds());
            } else {
                pause = pause.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause.multipliedBy(2);
            }
        }
    }

    /** True when the batch is done with (written, or refused as malformed); false to retry later. */
    private boolean send(List<String> batch) {
        ensureDatabase();
        HttpRequest.Builder req = HttpRequest.newBuilder(writeUri)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", batch), StandardCharsets.UTF_8));
        auth(req);
        try {
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                sent.addAndGet(batch.size());
                if (lastError != null) {
                    log.info("InfluxDB mirror: writing to {} again", config.url());
                }
                lastError = null;
                return true;
            }
            if (r.statusCode() == 400) {
                rejected.addAndGet(batch.size());
                fail("InfluxDB refused " + batch.size() + " readings as malformed: " + abbreviate(r.body()));
                return true;
            }
            if (r.statusCode() == 404 && config.version() == 1) {
                databaseEnsured = false;
                fail("InfluxDB has no database '" + config.database() + "' (" + abbreviate(r.body())
                        + "); create it with: influx -execute 'CREATE DATABASE " + config.database() + "'");
            } else if (r.statusCode() == 401 || r.statusCode() == 403) {
                fail("InfluxDB refused the credentials (" + r.statusCode() + "); check history.influx.token / username / password");
            } else {
                fail("InfluxDB answered " + r.statusCode() + ": " + abbreviate(r.body()));
            }
            return false;
        } catch (IOException e) {
            fail("cannot reach InfluxDB at " + config.url() + ": " + e.getMessage() + "; will retry");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** InfluxDB 1.x: CREATE DATABASE is idempotent, so a fresh InfluxDB needs no manual step. */
    private void ensureDatabase() {
        if (config.version() != 1 || databaseEnsured) {
            return;
        }
        String base = config.url().endsWith("/") ? config.url().substring(0, config.url().length() - 1) : config.url();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/query"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + enc("CREATE DATABASE \"" + config.database() + "\"")));
        auth(req);
        try {
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            databaseEnsured = r.statusCode() == 200;
        } catch (IOException e) {
            // InfluxDB down: the write below reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void auth(HttpRequest.Builder req) {
        if (config.version() == 2) {
            req.header("Authorization", "Token " + config.token());
        } else if (!config.username().isEmpty()) {
            String basic = Base64.getEncoder().encodeToString((config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
            req.header("Authorization", "Basic " + basic);
        }
    }

    private void fail(String message) {
        if (!message.equals(lastError)) {
            log.warn("InfluxDB mirror: {}", message);
        }
        lastError = message;
    }

    /** Waits until the buffer is empty (everything written) or the time is up; true when empty. */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (buffer) {
            buffer.notifyAll();
            while (!buffer.isEmpty()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                buffer.wait(Math.min(left, 200));
            }
        }
        return true;
    }

    public record Stats(long sent, long buffered, long dropped, long rejected) {
    }

    public Stats stats() {
        synchronized (buffer) {
            return new Stats(sent.get(), buffer.size(), dropped.get(), rejected.get());
        }
    }

    @Override
    public ComponentHealth health() {
        Stats s = stats();
        String counts = s.sent() + " readings sent, " + s.buffered() + " waiting, " + s.dropped() + " dropped";
        if (lastError != null) {
            return ComponentHealth.degraded(lastError + " (" + counts + ")");
        }
        return ComponentHealth.up("writing to " + config.url() + " (" + counts + ")");
    }

    @Override
    public void close() {
        try {
            drain(Duration.ofSeconds(3)); // a last chance for what is waiting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
