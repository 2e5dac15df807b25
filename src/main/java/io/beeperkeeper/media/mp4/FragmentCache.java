package io.beeperkeeper.media.mp4;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.Tracks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * One camera's recent frames muxed once for all viewers: a fragment does not depend on the viewer
 * (a video-only viewer's fragments are identical; only its init segment differs), so 50 viewers cost
 * one moof+mdat per frame, not 50. The bytes live outside the Java heap, so every viewer's socket
 * write sends them as they are: a heap array would be copied again into a native buffer for each
 * viewer, and each thread that writes would keep such copies around. Bounded to the last
 * {@link #MAX_FRAMES} frames and {@link #MAX_BYTES} of fragments (a few seconds of a camera: a
 * keyframe's group for a viewer that joins, and a viewer's lag); a viewer further behind gets its
 * fragment muxed again (correct, just slower). The bound is what a Pi pays once viewers watch: each
 * fragment is kept twice (the frame on the heap, its bytes outside), and fragments kept long end in
 * the old generation, whose native bytes only a full collection gives back.
 *
 * <p>Each video frame is declared to last {@link #VIDEO_HOLD_US} instead of one frame interval. A
 * live MSE player can then play at the newest frame rather than a frame or more behind it: the
 * buffer never runs dry between two frames (no {@code waiting} stall when a frame is a little late),
 * and each new frame, whose time lies inside its predecessor's declared span, is shown the moment it
 * is decoded (the browser shows the latest frame whose time has come; the older one ends where the
 * newer one starts). The buffered range then reaches {@code VIDEO_HOLD_US} past the newest frame,
 * which the page allows for (the init message tells it the hold).
 */
public final class FragmentCache {
    static final int MAX_FRAMES = 256;
    static final long MAX_BYTES = 512 * 1024;
    /** How long each video frame is declared to last: longer than any pause between frames of a live camera. */
    public static final long VIDEO_HOLD_US = 1_000_000;

    /**
     * A frame ready to send: its {@code moof+mdat}, and for a video frame the MSE viewer's timing
     * message of it alone ({@code {"type":"t","f":[[<video time s>,<hub receive epoch ms>]]}}, UTF-8),
     * else null. Both are read-only and shared: send a {@link ByteBuffer#duplicate()} of them.
     */
    public record Fragment(ByteBuffer data, ByteBuffer timing) {
        public int size() {
            return data.remaining();
        }
    }

    private Tracks tracks;
    private Fmp4Muxer muxer;
    private final LinkedHashMap<Frame, Fragment> recent = new LinkedHashMap<>(MAX_FRAMES * 2);
    /** Bytes of the fragments in {@link #recent}. */
    private long bytes;

    /** The fragment of a frame of a stream with these tracks; shared by every viewer. */
    public synchronized Fragment fragment(Tracks streamTracks, Frame frame) {
        if (!streamTracks.equals(tracks)) {
            tracks = streamTracks;
            muxer = new Fmp4Muxer(streamTracks);
            recent.clear();
            bytes = 0;
        }
        Fragment f = recent.get(frame);
        if (f == null) {
            f = mux(frame);
            recent.put(frame, f);
            bytes += f.size();
            Iterator<Fragment> eldest = recent.values().iterator();
            while (recent.size() > 1 && (recent.size() > MAX_FRAMES || bytes > MAX_BYTES)) {
                bytes -= eldest.next().size();
                eldest.remove();
            }
        }
        return f;
    }

    /** Fragments kept now, and their bytes. */
    synchronized int frames() {
        return recent.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private Fragment mux(Frame frame) {
        ByteBuffer timing = null;
        if (frame.isVideo()) {
            StringBuilder t = new StringBuilder("{\"type\":\"t\",\"f\":[");
            appendTiming(t, frame);
            timing = direct(t.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        long durationUs = frame.isVideo() ? Math.max(frame.durationUs(), VIDEO_HOLD_US) : frame.durationUs();
        return new Fragment(direct(muxer.fragment(frame, durationUs)), timing);
    }

    /** One video frame's entry of a timing message: {@code [<video time s>,<hub receive epoch ms>]}. */
    public static void appendTiming(StringBuilder to, Frame videoFrame) {
        to.append('[').append(videoFrame.timeUs() / 1e6).append(',').append(videoFrame.receivedAtMs()).append(']');
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}
