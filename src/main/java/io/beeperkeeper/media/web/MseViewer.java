package io.beeperkeeper.media.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Fmp4Muxer;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One browser watching a camera over MSE-over-WebSocket. Protocol (server to client only):
 * a JSON text message {@code {"type":"init","mime":...,"video":...,"audio":...}}, the binary init
 * segment, then one binary {@code moof+mdat} per frame; again a JSON "init" + init segment if the
 * camera's tracks change. With {@code stats}, a JSON {@code {"type":"t","t":<video time s>,
 * "r":<hub receive epoch ms>}} precedes each video fragment (latency benchmark).
 *
 * <p>Frames wait in a bounded {@link FrameQueue} (a slow viewer skips to the next keyframe) and are
 * written with Jetty's asynchronous send, one message in flight at a time, so no thread is held per
 * viewer and a stalled socket costs one queue, nothing more. {@link #overdue} tells the owner to
 * disconnect a viewer whose socket has accepted nothing for the write deadline.
 */
final class MseViewer {
    private final Session session;
    private final FrameQueue queue;
    private final boolean audio;
    private final boolean stats;
    private final ObjectMapper json;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile long inFlightSince;
    private volatile boolean closed;
    private Fmp4Muxer muxer;
    private long sentFragments;

    MseViewer(Session session, int maxFrames, boolean audio, boolean stats, ObjectMapper json) {
        this.session = session;
        this.queue = new FrameQueue(maxFrames, 8L * 1024 * 1024);
        this.audio = audio;
        this.stats = stats;
        this.json = json;
        queue.onAvailable(this::pump);
    }

    FrameQueue queue() {
        return queue;
    }

    long skips() {
        return queue.skips();
    }

    long sentFragments() {
        return sentFragments;
    }

    void close() {
        closed = true;
    }

    /** True when a write has been pending longer than the deadline (the viewer stopped reading). */
    boolean overdue(long deadlineNanos) {
        return inFlight.get() && System.nanoTime() - inFlightSince > deadlineNanos;
    }

    /** Drains the queue into the socket, one message in flight; re-entrant calls just loop again. */
    private void pump() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            while (!closed && !inFlight.get()) {
                FrameQueue.Item item = queue.poll();
                if (item == null) {
                    break;
                }
                send(item);
            }
        } while (wip.decrementAndGet() != 0);
    }

    private void send(FrameQueue.Item item) {
        if (item.tracks() != null) {
            Tracks t = audio ? item.tracks() : Tracks.videoOnly(item.tracks().video());
            muxer = new Fmp4Muxer(t);
            byte[] init = muxer.initSegment();
            begin();
            session.getRemote().sendString(initMessage(t), chain(() -> {
                begin();
                session.getRemote().sendBytes(ByteBuffer.wrap(init), done());
            }));
            return;
        }
        Frame f = item.frame();
        if (muxer == null || (!f.isVideo() && !audio)) {
            return;
        }
        byte[] fragment = muxer.fragment(f);
        sentFragments++;
        if (stats && f.isVideo()) {
            begin();
            String timing = "{\"type\":\"t\",\"t\":" + (f.timeUs() / 1e6) + ",\"r\":" + f.receivedAtMs() + "}";
            session.getRemote().sendString(timing, chain(() -> {
                begin();
                session.getRemote().sendBytes(ByteBuffer.wrap(fragment), done());
            }));
            return;
        }
        begin();
        session.getRemote().sendBytes(ByteBuffer.wrap(fragment), done());
    }

    private String initMessage(Tracks t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "init");
        m.put("mime", t.mimeType());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("codec", t.video().codecString());
        v.put("width", t.video().width());
        v.put("height", t.video().height());
        v.put("fps", t.video().fps());
        m.put("video", v);
        m.put("audio", t.audio().map(a -> Map.of("codec", a.codecString(), "sampleRate", a.sampleRate(),
                "channels", a.channels())).orElse(null));
        try {
            return json.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void begin() {
        inFlightSince = System.nanoTime();
        inFlight.set(true);
    }

    private WriteCallback chain(Runnable next) {
        return new WriteCallback() {
            @Override
            public void writeSuccess() {
                if (!closed) {
                    next.run();
                }
            }

            @Override
            public void writeFailed(Throwable x) {
                closed = true;
            }
        };
    }

    private WriteCallback done() {
        return new WriteCallback() {
            @Override
            public void writeSuccess() {
                inFlight.set(false);
                pump();
            }

            @Override
            public void writeFailed(Throwable x) {
                closed = true;
            }
        };
    }
}
