package io.beeperkeeper.media;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamAndQueueTest {
    static final VideoTrack VIDEO = new VideoTrack("avc1.42C01E", 66, 30, 640, 480, 15,
            new byte[] {0x67, 0x42, (byte) 0xC0, 0x1E}, new byte[] {0x68, 0x01});
    static final Tracks TRACKS = Tracks.videoOnly(VIDEO);

    static Frame video(long n, boolean key) {
        return new Frame(MediaKind.VIDEO, n * 66_667, 66_667, key, List.of(new byte[100]), 0);
    }

    static Frame audio(long n) {
        return new Frame(MediaKind.AUDIO, n * 20_000, 20_000, true, List.of(new byte[10]), 0);
    }

    @Test
    void aNewSubscriberGetsTheTracksAndTheGopFromTheLatestKeyframe() {
        Stream s = new Stream("cam");
        s.publishTracks(TRACKS);
        s.publish(video(0, true));
        s.publish(video(1, false));
        s.publish(video(2, true));
        s.publish(audio(100));
        s.publish(video(3, false));
        List<Object> got = new ArrayList<>();
        s.subscribe(new FrameConsumer() {
            @Override
            public void onTracks(Tracks tracks) {
                got.add(tracks);
            }

            @Override
            public void onFrame(Frame frame) {
                got.add(frame.timeUs());
            }
        });
        assertThat(got).containsExactly(TRACKS, 2 * 66_667L, 100 * 20_000L, 3 * 66_667L);
    }

    @Test
    void aFullQueueDropsItsBacklogAndResumesAtTheNextKeyframe() {
        FrameQueue q = new FrameQueue(4, 1_000_000);
        q.onTracks(TRACKS);
        q.onFrame(video(0, true));
        q.onFrame(video(1, false));
        q.onFrame(video(2, false));
        q.onFrame(video(3, false)); // full now: tracks + 3 frames... one more overflows
        q.onFrame(video(4, false));
        q.onFrame(audio(5));
        q.onFrame(video(5, false));
        q.onFrame(video(6, true));
        q.onFrame(video(7, false));
        assertThat(q.skips()).isEqualTo(1);
        List<Object> got = new ArrayList<>();
        for (FrameQueue.Item i; (i = q.poll()) != null; ) {
            got.add(i.tracks() != null ? "tracks" : i.frame().timeUs() / 66_667);
        }
        // The player still gets the init segment it has not seen, then a whole GOP.
        assertThat(got).containsExactly("tracks", 6L, 7L);
    }

    @Test
    void everyFrameAFullQueueThrowsAwayIsCountedOnItsStream() {
        Stream stream = new Stream("cam");
        FrameQueue q = new FrameQueue(4, 1_000_000, stream::countDropped);
        q.onTracks(TRACKS);
        q.onFrame(video(0, false)); // before the first keyframe: not a drop, the viewer has seen nothing yet
        List<Frame> offered = List.of(video(1, true), video(2, false), video(3, false), video(4, false),
                video(5, false), audio(6), video(6, false), video(7, true), video(8, false));
        offered.forEach(q::onFrame);
        int delivered = 0;
        for (FrameQueue.Item i; (i = q.poll()) != null; ) {
            delivered += i.frame() != null ? 1 : 0;
        }
        assertThat(delivered).isEqualTo(2); // the GOP from keyframe 7
        assertThat(stream.framesDropped()).isEqualTo(offered.size() - delivered);
    }

    @Test
    void aQueueStartsAtAKeyframeAndIsBoundedInBytes() {
        FrameQueue q = new FrameQueue(100, 250);
        q.onTracks(TRACKS);
        q.onFrame(video(0, false)); // not a start point
        q.onFrame(video(1, true));
        q.onFrame(video(2, false));
        q.onFrame(video(3, false)); // 300 bytes > 250: skip
        assertThat(q.skips()).isEqualTo(1);
        assertThat(q.size()).isEqualTo(1); // only the tracks remain
    }
}
