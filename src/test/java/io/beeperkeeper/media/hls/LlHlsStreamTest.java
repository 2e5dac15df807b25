package io.beeperkeeper.media.hls;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The LL-HLS playlist window and what stays served after a segment leaves it. */
class LlHlsStreamTest {
    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x02, (byte) 0x80};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x38, (byte) 0x80};

    /** One second of 15 fps video starting at a keyframe: one segment of fifteen one-frame parts. */
    static void oneSecond(LlHlsStream hls, int second) {
        for (int i = 0; i < 15; i++) {
            long t = second * 1_000_000L + i * 66_667L;
            byte[] nal = i == 0 ? new byte[]{0x65, 1, 2, 3} : new byte[]{0x41, 1, 2, 3};
            hls.onFrame(new Frame(MediaKind.VIDEO, t, 66_667, i == 0, List.of(nal), 0));
        }
    }

    static long firstListed(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aSegmentThatLeftThePlaylistIsStillServedForAPlaylistsWorthOfSegments() {
        LlHlsStream hls = new LlHlsStream(Runnable::run, 0);
        hls.onTracks(Tracks.videoOnly(new VideoTrack("avc1.42C01E", 0x42, 0x1E, 640, 480, 15, SPS, PPS)));
        for (int s = 0; s < 30; s++) {
            oneSecond(hls, s);
        }
        String playlist = hls.playlist().orElseThrow();
        long first = firstListed(playlist);
        Matcher hint = Pattern.compile("PRELOAD-HINT:TYPE=PART,URI=\"hls/part/(\\d+)\\.").matcher(playlist);
        assertThat(hint.find()).isTrue();
        long open = Long.parseLong(hint.group(1));
        // the window: LISTED_SEGMENTS complete segments and the open one
        assertThat(first).isEqualTo(open - LlHlsStream.LISTED_SEGMENTS);
        assertThat(Pattern.compile("#EXTINF:").matcher(playlist).results().count()).isEqualTo(LlHlsStream.LISTED_SEGMENTS);
        assertThat(playlist).doesNotContain("hls/seg/" + (first - 1) + ".m4s");
        // a client holding an older playlist still gets what it names: segments and their parts
        for (long msn = first - LlHlsStream.RETAINED_SEGMENTS; msn < first; msn++) {
            assertThat(hls.segment(msn)).as("segment %d, %d before the window", msn, first - msn).isPresent();
            assertThat(hls.part(msn, 14)).as("last part of segment %d", msn).isPresent();
        }
        // memory stays bounded: older ones are gone
        assertThat(hls.segment(first - LlHlsStream.RETAINED_SEGMENTS - 1)).isEmpty();
        assertThat(hls.part(first - LlHlsStream.RETAINED_SEGMENTS - 1, 0)).isEmpty();
    }

    @Test
    void aFramesPartIsListedTheMomentTheFrameArrivesNotWhenTheNextOneDoes() {
        LlHlsStream hls = new LlHlsStream(Runnable::run, 0);
        hls.onTracks(Tracks.videoOnly(new VideoTrack("avc1.42C01E", 0x42, 0x1E, 640, 480, 15, SPS, PPS)));
        hls.onFrame(new Frame(MediaKind.VIDEO, 0, 66_667, true, List.of(new byte[]{0x65, 1, 2, 3}), 0));
        String playlist = hls.playlist().orElseThrow();
        Matcher part = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"hls/part/(\\d+)\\.0\\.m4s\",INDEPENDENT=YES").matcher(playlist);
        assertThat(part.find()).as(playlist).isTrue();
        assertThat(Double.parseDouble(part.group(1))).isCloseTo(0.0667, within(0.001));
        assertThat(hls.part(Long.parseLong(part.group(2)), 0)).isPresent();
        assertThat(playlist).contains("PRELOAD-HINT:TYPE=PART,URI=\"hls/part/" + part.group(2) + ".1.m4s\"");
        assertThat(playlist).contains("PART-TARGET=0.080").contains("PART-HOLD-BACK=0.240");
    }

    @Test
    void latePicturesAreSpreadOverTheirPartsSoTheSegmentHasNoHole() {
        LlHlsStream hls = new LlHlsStream(Runnable::run, 0);
        hls.onTracks(Tracks.videoOnly(new VideoTrack("avc1.42C01E", 0x42, 0x1E, 640, 480, 15, SPS, PPS)));
        long[] arrivals = {0, 66_667, 400_000, 410_000, 466_667};
        for (int i = 0; i < arrivals.length; i++) {
            hls.onFrame(new Frame(MediaKind.VIDEO, arrivals[i], 66_667, i == 0, List.of(new byte[]{(byte) (i == 0 ? 0x65 : 0x41), 1}), 0));
        }
        hls.onFrame(new Frame(MediaKind.VIDEO, 533_333, 66_667, true, List.of(new byte[]{0x65, 1}), 0));
        String playlist = hls.playlist().orElseThrow();
        List<Double> parts = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+)").matcher(playlist).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        // the late pictures move up by half a frame each (SmoothedTimeline): parts of 1-1.5 frames, no hole
        assertThat(parts.subList(0, 5)).containsExactly(0.067, 0.067, 0.100, 0.100, 0.100);
        assertThat(find(playlist, "#EXTINF:([0-9.]+),")).isEqualTo("0.433");
        assertThat(playlist).contains("#EXT-X-TARGETDURATION:1\n");
    }

    @Test
    void theTargetDurationIsTheLongestSegmentRoundedToTheNearestSecond() {
        LlHlsStream hls = new LlHlsStream(Runnable::run, 0);
        hls.onTracks(Tracks.videoOnly(new VideoTrack("avc1.42C01E", 0x42, 0x1E, 640, 480, 15, SPS, PPS)));
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 30; i++) { // two seconds a segment, a little over by the stamps' rounding
                long t = s * 2_000_100L + i * 66_670L;
                hls.onFrame(new Frame(MediaKind.VIDEO, t, 66_670, i == 0, List.of(new byte[]{(byte) (i == 0 ? 0x65 : 0x41), 1}), 0));
            }
        }
        String playlist = hls.playlist().orElseThrow();
        assertThat(find(playlist, "#EXTINF:([0-9.]+),")).startsWith("2.00");
        assertThat(playlist).contains("#EXT-X-TARGETDURATION:2\n");
    }

    static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }
}
