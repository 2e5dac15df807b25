package io.beeperkeeper.media.mp4;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.Tracks;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A camera's shared fragments: every viewer of a recent frame gets the same bytes, and what is kept stays
 * within a few seconds of video however long the camera runs (a Pi pays for it twice, on and off the heap).
 */
class FragmentCacheTest {
    @Test
    void recentFragmentsAreSharedAndTheCacheStaysWithinItsBytes() throws Exception {
        Mp4TestMedia.Video video = Mp4TestMedia.video();
        Tracks tracks = Tracks.videoOnly(video.track());
        FragmentCache cache = new FragmentCache();
        List<Frame> all = new ArrayList<>();
        long bytesMuxed = 0;
        int oldestSize = -1;
        for (int round = 0; round < 40; round++) { // 80 s of video, a few MB of fragments
            for (Frame f : video.frames(round * 2_000_000L)) {
                all.add(f);
                int size = cache.fragment(tracks, f).size();
                oldestSize = oldestSize < 0 ? size : oldestSize;
                bytesMuxed += size;
                assertThat(cache.bytes()).isLessThanOrEqualTo(FragmentCache.MAX_BYTES);
                assertThat(cache.frames()).isLessThanOrEqualTo(FragmentCache.MAX_FRAMES);
            }
        }
        assertThat(bytesMuxed).as("the test muxes more than the cache keeps").isGreaterThan(3 * FragmentCache.MAX_BYTES);

        Frame newest = all.get(all.size() - 1);
        assertThat(cache.fragment(tracks, newest)).as("a second viewer of the newest frame shares its bytes")
                .isSameAs(cache.fragment(tracks, newest));
        Frame oldest = all.get(0);
        FragmentCache.Fragment again = cache.fragment(tracks, oldest);
        assertThat(again.size()).as("a frame long gone is muxed again").isEqualTo(oldestSize);
        assertThat(cache.bytes()).isLessThanOrEqualTo(FragmentCache.MAX_BYTES);
    }
}
