package io.beeperkeeper.media.mp4;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.Tracks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One camera's recent frames muxed once for all viewers: a fragment does not depend on the viewer
 * (a video-only viewer's fragments are identical; only its init segment differs), so 50 viewers cost
 * one moof+mdat per frame, not 50. Bounded to the last {@link #MAX_FRAMES} frames; a viewer further
 * behind gets its fragment muxed again (correct, just slower).
 */
public final class FragmentCache {
    static final int MAX_FRAMES = 256;

    private Tracks tracks;
    private Fmp4Muxer muxer;
    private final Map<Frame, byte[]> recent = new LinkedHashMap<>(MAX_FRAMES * 2) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Frame, byte[]> eldest) {
            return size() > MAX_FRAMES;
        }
    };

    /** The fragment of a frame of a stream with these tracks; the array is shared: never modify it. */
    public synchronized byte[] fragment(Tracks streamTracks, Frame frame) {
        if (!streamTracks.equals(tracks)) {
            tracks = streamTracks;
            muxer = new Fmp4Muxer(streamTracks);
            recent.clear();
        }
        return recent.computeIfAbsent(frame, muxer::fragment);
    }
}
