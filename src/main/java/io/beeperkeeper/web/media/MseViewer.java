package io.beeperkeeper.web.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Fmp4Muxer;
import io.beeperkeeper.media.mp4.FragmentCache;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One browser watching a camera over MSE-over-WebSocket. Protocol (server to client only):
 * a JSON text message {@code {"type":"init","mime":...,"video":...,"audio":...,"hold":<s>}} ({@code hold}: how long
 * each video frame is declared to last, see {@link FragmentCache}), the binary init
 * segment, then binary messages of one or more {@code moof+mdat} (one per frame; several when the viewer
 * is catching up); again a JSON "init" + init segment if the camera's tracks change. With
 * {@code stats}, a JSON {@code {"type":"t","f":[[<video time s>,<hub receive epoch ms>],...]}}
 * precedes each message with video (the page's delay badge and the latency benchmark).
 *
 * <p>With {@code audio=separate} the init segment holds the video track alone and the init message
 * the audio's codec, clock and config ({@code "apart":true}), while the audio fragments still come
 * in the same messages: the page plays the picture through MSE by itself (at the newest frame, as a
 * camera without sound) and decodes the sound on its own (WebCodecs into Web Audio). One
 * SourceBuffer with both tracks would play only where both are buffered, so each picture would wait
 * for the sound's buffer, and every time the sound ran dry the whole player would stall.
 *
 * <p>Frames wait in a bounded {@link FrameQueue} (a slow viewer skips to the next keyframe) and are
 * written with Jetty's asynchronous send, one message in flight at a time, so no thread is held per
 * viewer and a stalled socket costs one queue, nothing more. What a frame costs each viewer is kept
 * to one socket write of shared bytes: the fragment and its timing message are the camera's
 * ({@link FragmentCache}, outside the heap, never copied per viewer), and the timing message is held
 * back to go out in the same write as its fragment. A catching-up message is sent as the frames'
 * fragments in one WebSocket message of several frames, again without copying them. The write
 * callbacks are the viewer's own, made once. {@link #overdue} tells the owner to disconnect a viewer
 * whose socket has accepted nothing for the write deadline.
 */
final class MseViewer {
    private static final int MAX_BATCH_BYTES = 256 * 1024; // bounds the one message a viewer may have in flight
    private final CoreSession session;
    private final FrameQueue queue;
    private final boolean audio;
    private final boolean audioApart;
    private final boolean stats;
    private final ObjectMapper json;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile long inFlightSince;
    private volatile boolean closed;
    private final FragmentCache fragments;
    private final Runnable onWriteFailed;
    /** The message being put together (reused: a frame costs the viewer no list of its own). */
    private final List<FragmentCache.Fragment> batch = new ArrayList<>();
    private final List<Frame> batchVideo = new ArrayList<>();
    private Tracks tracks;
    private long sentFragments;
    /** A whole message is written: the next may go. */
    private final Callback sent = new Callback() {
        @Override
        public void succeeded() {
            inFlight.set(false);
            pump();
        }

        @Override
        public void failed(Throwable x) {
            MseViewer.this.failed();
        }
    };

    /**
     * @param session       the socket's core session (its frames, with Jetty's write batching)
     * @param onWriteFailed told once the socket refuses a write (the viewer left): the owner stops counting it
     * @param dropped       told how many frames the queue threw away when the viewer fell behind (the camera's count)
     */
    MseViewer(CoreSession session, FragmentCache fragments, int maxFrames, boolean audio, boolean audioApart, boolean stats,
              ObjectMapper json, Runnable onWriteFailed, java.util.function.LongConsumer dropped) {
        this.session = session;
        this.onWriteFailed = onWriteFailed;
        this.fragments = fragments;
        this.queue = new FrameQueue(maxFrames, 8L * 1024 * 1024, dropped);
        this.audio = audio;
        this.audioApart = audio && audioApart;
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
        Tracks t = audio && !audioApart ? streamTracks : Tracks.videoOnly(streamTracks.video());
        byte[] init = new Fmp4Muxer(t).initSegment();
        begin();
        session.sendFrame(new WsFrame(OpCode.TEXT, initMessage(t, audio ? streamTracks : t)), Callback.NOOP, true);
        session.sendFrame(new WsFrame(OpCode.BINARY, ByteBuffer.wrap(init)), sent, false);
    }

    /**
     * Sends this frame and every frame queued behind it as one binary message (MSE appends any run
     * of moof+mdat pairs): a viewer that fell a little behind catches up with one message, not many.
     * The timing message is batched: Jetty writes it with the binary message's first bytes.
     */
    private void sendFrames(Frame first) {
        if (tracks == null) {
            return;
        }
        int size = 0;
        Frame f = first;
        while (true) {
            if (f.isVideo() || audio) {
                FragmentCache.Fragment frag = fragments.fragment(tracks, f);
                batch.add(frag);
                size += frag.size();
                if (f.isVideo()) {
                    batchVideo.add(f);
                }
            }
            FrameQueue.Item next = size < MAX_BATCH_BYTES ? queue.pollFrame() : null;
            if (next == null) {
                break;
            }
            f = next.frame();
        }
        if (batch.isEmpty()) {
            return;
        }
        sentFragments += batch.size();
        begin();
        if (stats && batchVideo.size() == 1) {
            session.sendFrame(new WsFrame(OpCode.TEXT, sharedTiming()), Callback.NOOP, true);
        } else if (stats && batchVideo.size() > 1) {
            session.sendFrame(new WsFrame(OpCode.TEXT, timingOfBatch()), Callback.NOOP, true);
        }
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            WsFrame wsFrame = new WsFrame(i == 0 ? OpCode.BINARY : OpCode.CONTINUATION, last, batch.get(i).data().duplicate());
            session.sendFrame(wsFrame, last ? sent : Callback.NOOP, !last);
        }
        batch.clear();
        batchVideo.clear();
    }

    /** The camera's timing message of the one video frame in the batch. */
    private ByteBuffer sharedTiming() {
        for (FragmentCache.Fragment frag : batch) {
            if (frag.timing() != null) {
                return frag.timing().duplicate();
            }
        }
        throw new IllegalStateException("no video frame in the batch");
    }

    /** The timing message of a catching-up message: every video frame in it, in order. */
    private String timingOfBatch() {
        StringBuilder timing = new StringBuilder("{\"type\":\"t\",\"f\":[");
        for (int i = 0; i < batchVideo.size(); i++) {
            if (i > 0) {
                timing.append(',');
            }
            FragmentCache.appendTiming(timing, batchVideo.get(i));
        }
        return timing.append("]}").toString();
    }

    /** @param t the tracks of the init segment; {@code sent} the tracks whose fragments this viewer gets */
    private String initMessage(Tracks t, Tracks sent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "init");
        m.put("mime", t.mimeType());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("codec", t.video().codecString());
        v.put("width", t.video().width());
        v.put("height", t.video().height());
        v.put("fps", t.video().fps());
        m.put("video", v);
        m.put("hold", FragmentCache.VIDEO_HOLD_US / 1e6); // how far each video frame's declared span reaches
        m.put("audio", sent.audio().map(a -> {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("codec", a.codecString());
            am.put("sampleRate", a.sampleRate());
            am.put("channels", a.channels());
            if (audioApart) {
                am.put("apart", true); // its fragments (track 2) are not in the init segment: the page decodes them itself
                am.put("timescale", a.timescale());
                am.put("config", Base64.getEncoder().encodeToString(a.codecConfig())); // OpusHead or AudioSpecificConfig
            }
            return am;
        }).orElse(null));
        try {
            return json.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A WebSocket frame (the name tells it from the camera's frames). */
    private static final class WsFrame extends org.eclipse.jetty.websocket.core.Frame {
        WsFrame(byte opCode, String text) {
            super(opCode, text);
        }

        WsFrame(byte opCode, ByteBuffer payload) {
            super(opCode, payload);
        }

        WsFrame(byte opCode, boolean fin, ByteBuffer payload) {
            super(opCode, fin, payload);
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
