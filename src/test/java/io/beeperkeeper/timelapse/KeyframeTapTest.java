package io.beeperkeeper.timelapse;

import io.beeperkeeper.ManualClock;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.h264.AccessUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which frames the tap keeps: the first keyframe after each interval boundary, nothing else. */
class KeyframeTapTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheFirstKeyframeAfterEachBoundaryOfTheInterval() throws Exception {
        AccessUnit au = RecordedKeyframes.record(dir, 320, 240, 1).get(0);
        VideoTrack track = new VideoTrack("avc1.42C00D", 66, 13, 320, 240, 15, au.sps(), au.pps());
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:05Z"));
        List<Instant> kept = new ArrayList<>();
        boolean[] full = {false};
        KeyframeTap tap = new KeyframeTap("coop", clock, 30, (camera, v, nals, at) -> {
            if (full[0]) {
                return false;
            }
            assertThat(v).isEqualTo(track);
            assertThat(nals).hasSize(au.nals().size());
            kept.add(at);
            return true;
        });
        Frame key = new Frame(MediaKind.VIDEO, 0, 66_666, true, au.nals(), 0);
        Frame delta = new Frame(MediaKind.VIDEO, 0, 66_666, false, List.of(new byte[] {0x41, 1}), 0);
        Frame audio = new Frame(MediaKind.AUDIO, 0, 20_000, true, List.of(new byte[] {1}), 0);

        tap.onFrame(key);
        assertThat(kept).as("nothing before the stream's tracks are known").isEmpty();
        tap.onTracks(Tracks.videoOnly(track));
        tap.onFrame(delta);
        tap.onFrame(audio);
        tap.onFrame(key);
        assertThat(kept).containsExactly(Instant.parse("2026-12-01T12:00:05Z"));
        clock.advance(Duration.ofSeconds(24)); // 12:00:29
        tap.onFrame(key);
        assertThat(kept).as("the next one is due at 12:00:30").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        tap.onFrame(delta);
        tap.onFrame(key);
        tap.onFrame(key);
        assertThat(kept).containsExactly(Instant.parse("2026-12-01T12:00:05Z"), Instant.parse("2026-12-01T12:00:30Z"));
        clock.advance(Duration.ofSeconds(95)); // 12:02:05: a camera that was away gives one keyframe, not four
        tap.onFrame(key);
        tap.onFrame(key);
        assertThat(kept).hasSize(3);
        full[0] = true;
        clock.advance(Duration.ofSeconds(30));
        tap.onFrame(key);
        assertThat(tap.picked()).isEqualTo(3);
        assertThat(tap.dropped()).as("a keyframe the store had no room for is counted").isEqualTo(1);
    }
}
