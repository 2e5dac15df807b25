package io.beeperkeeper.web.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Fmp4Muxer;
import io.beeperkeeper.media.mp4.FragmentCache;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One browser watching a camera over MSE-over-WebSocket. Protocol (server to client only):
 * a JSON text message {@code {"type":"init","mime":...,"video":...,"audio":...}}, the binary init
 * segment, then binary messages of one or more {@code moof+mdat} (one per frame; several when the viewer
 * is catching up); again a JSON "init" + init segment if the camera's tracks change. With
 * {@code stats}, a JSON {@code {"type":"t","f":[[<video time s>,<hub receive epoch ms>],...]}}
 * precedes each message with video (the page's delay badge and the latency benchmark).
 *
 * <p>Frames wait in a bounded {@link FrameQueue} (a slow viewer skips to the next keyframe) and are
 * written with Jetty's asynchronous send, one message in flight at a time, so no thread is held per
 * viewer and a stalled socket costs one queue, nothing more. The two write callbacks are the viewer's
 * own, made once, so a message costs no allocation beyond its bytes. {@link #overdue} tells the owner
 * to disconnect a viewer whose socket has accepted nothing for the write deadline.
 */
final class MseViewer {
    private static final int MAX_BATCH_BYTES = 256 * 1024; // bounds the one message a viewer may have in flight
    private final Session session;
    private final FrameQueue queue;
    private final boolean audio;
    private final boolean stats;
    private final ObjectMapper json;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile long inFlightSince;
    private volatile boolean closed;
    private final FragmentCache fragments;
    private final Runnable onWriteFailed;
    private Tracks tracks;
    private long sentFragments;
    /** The binary message that follows the text message in flight (an init segment, or frames after their timing). */
    private ByteBuffer then;
    /** A whole message is written: the next may go. */
    private final Callback sent = new Callback() {
        @Override
        public void succeed() {
            inFlight.set(false);
            pump();
        }

        @Override
        public void fail(Throwable x) {
            failed();
        }
    };
    /** The text part is written: its binary part follows. */
    private final Callback thenSend = new Callback() {
        @Override
        public void succeed() {
            if (!closed) {
                ByteBuffer b = then;
                then = null;
                begin();
                session.sendBinary(b, sent);
            }
        }

        @Override
        public void fail(Throwable x) {
            failed();
        }
    };

    /**
     * @param onWriteFailed told once the socket refuses a write (the viewer left): the owner stops counting it
     * @param dropped       told how many frames the queue threw away when the viewer fell behind (the camera's count)
     */
    MseViewer(Session session, FragmentCache fragments, int maxFrames, boolean audio, boolean stats, ObjectMapper json,
              Runnable onWriteFailed, java.util.function.LongConsumer dropped) {
        this.session = session;
        this.onWriteFailed = onWriteFailed;
        this.fragments = fragments;
        this.queue = new FrameQueue(maxFrames, 8L * 1024 * 1024, dropped);
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
                if (item.tracks() != null) {
                    sendInit(item.tracks());
                } else {
                    sendFrames(item.frame());
                }
            }
        } while (wip.decrementAndGet() != 0);
    }

    private void sendInit(Tracks streamTracks) {
        tracks = streamTracks;
        Tracks t = audio ? streamTracks : Tracks.videoOnly(streamTracks.video());
        byte[] init = new Fmp4Muxer(t).initSegment();
        begin();
        then = ByteBuffer.wrap(init);
        session.sendText(initMessage(t), thenSend);
    }

    /**
     * Sends this frame and every frame queued behind it as one binary message (MSE appends any run
     * of moof+mdat pairs): a viewer that fell a little behind catches up with one write, not many.
     */
    private void sendFrames(Frame first) {
        if (tracks == null) {
            return;
        }
        List<byte[]> parts = new ArrayList<>();
        StringBuilder timing = stats ? new StringBuilder("{\"type\":\"t\",\"f\":[") : null;
        int size = 0;
        Frame f = first;
        while (true) {
            if (f.isVideo() || audio) {
                byte[] frag = fragments.fragment(tracks, f);
                parts.add(frag);
                size += frag.length;
                if (timing != null && f.isVideo()) {
                    if (timing.charAt(timing.length() - 1) != '[') {
                        timing.append(',');
                    }
                    timing.append('[').append(f.timeUs() / 1e6).append(',').append(f.receivedAtMs()).append(']');
                }
            }
            FrameQueue.Item next = size < MAX_BATCH_BYTES ? queue.pollFrame() : null;
            if (next == null) {
                break;
            }
            f = next.frame();
        }
        if (parts.isEmpty()) {
            return;
        }
        sentFragments += parts.size();
        ByteBuffer message;
        if (parts.size() == 1) {
            message = ByteBuffer.wrap(parts.get(0)).asReadOnlyBuffer();
        } else {
            message = ByteBuffer.allocate(size);
            parts.forEach(message::put);
            message.flip();
        }
        begin();
        if (timing != null && timing.charAt(timing.length() - 1) != '[') {
            timing.append("]}");
            then = message;
            session.sendText(timing.toString(), thenSend);
        } else {
            session.sendBinary(message, sent);
        }
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

    private void failed() {
        if (!closed) {
            closed = true;
            onWriteFailed.run();
        }
    }

    private void begin() {
        inFlightSince = System.nanoTime();
        inFlight.set(true);
    }
}
