package io.beeperkeeper.media.hls;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sound of a camera's LL-HLS parts runs on without a hole when its packets come late: a hole in the
 * sound is a hole in the player's buffered range, where the browser stalls (and, with sound, resumes only
 * after buffering more than the picture needs).
 */
class LlHlsSoundTimelineTest {
    static final byte[] OPUS_HEAD = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 0x38, 1, (byte) 0x80, (byte) 0xBB, 0, 0, 0, 0, 0};
    static final byte OPUS_TOC = (byte) 0xF8; // CELT fullband 20 ms, mono, one frame

    /** A start where the sound goes missing for 300 ms and then comes on at arrival (as the camera re-anchors it). */
    static LlHlsStream withSoundGap() {
        LlHlsStream hls = new LlHlsStream(Runnable::run, 0);
        hls.onTracks(new Tracks(new VideoTrack("avc1.42C01E", 0x42, 0x1E, 640, 480, 15, LlHlsStreamTest.SPS, LlHlsStreamTest.PPS),
                Optional.of(new AudioTrack(AudioTrack.Codec.OPUS, 48_000, 1, OPUS_HEAD))));
        long audio = 0;
        for (int i = 0; i < 30; i++) {
            long t = i * 66_667L;
            byte[] nal = i == 0 ? new byte[]{0x65, 1, 2, 3} : new byte[]{0x41, 1, 2, 3};
            hls.onFrame(new Frame(MediaKind.VIDEO, t, 66_667, i == 0 || i == 15, List.of(nal), 0));
            while (audio + 20_000 <= t + 66_667) {
                boolean missing = audio >= 400_000 && audio < 700_000;
                if (!missing) {
                    hls.onFrame(new Frame(MediaKind.AUDIO, audio, 20_000, true, List.of(new byte[]{OPUS_TOC, 1, 2, 3}), 0));
                }
                audio += 20_000;
            }
        }
        return hls;
    }

    @Test
    void soundThatComesLateIsFilledUpToItsArrivalSoThePartsHaveNoHole() {
        LlHlsStream hls = withSoundGap();
        List<long[]> sound = soundSamples(hls); // [decode time, duration, first payload byte, size] at 48 kHz
        assertThat(sound).hasSizeGreaterThan(40);
        for (int i = 1; i < sound.size(); i++) {
            long end = sound.get(i - 1)[0] + sound.get(i - 1)[1];
            // continuous within half a packet (the timeline slews), never a hole of a packet
            assertThat(Math.abs(sound.get(i)[0] - end)).as("sound sample %d starts %d ticks after the previous ends", i, sound.get(i)[0] - end)
                    .isLessThanOrEqualTo(480);
        }
        // the 300 ms of missing sound are empty Opus frames of the same configuration
        long fillers = sound.stream().filter(s -> s[3] == 1).count();
        assertThat(fillers).isBetween(13L, 15L);
        assertThat(sound.stream().filter(s -> s[3] == 1).allMatch(s -> s[2] == (OPUS_TOC & 0xFF))).isTrue();
        // and the packet after the gap is where it came: at 700 ms, within half a packet
        int after = 0;
        while (sound.get(after)[3] != 1) {
            after++;
        }
        while (sound.get(after)[3] == 1) {
            after++;
        }
        assertThat(sound.get(after)[0] * 1_000_000L / 48_000).isBetween(690_000L, 710_000L);
        assertThat(sound.get(sound.size() - 1)[0] * 1_000_000L / 48_000).isGreaterThan(1_800_000L);
    }

    @Test
    void opusFillerKeepsThePacketsConfigurationAndFrameCount() {
        assertThat(AudioFiller.opusSilence(new byte[]{(byte) 0xF8, 9, 9})).containsExactly(0xF8);
        assertThat(AudioFiller.opusSilence(new byte[]{(byte) 0x79, 9, 9})).containsExactly(0x79); // code 1: two frames
        assertThat(AudioFiller.opusSilence(new byte[]{(byte) 0x7B, (byte) 0x83, 9})).containsExactly(0x7B, 0x03); // code 3: 3 frames
    }

    /** Every sound sample of the playlist's parts, in order: [decode time, duration, first byte, size]. */
    static List<long[]> soundSamples(LlHlsStream hls) {
        String playlist = hls.playlist().orElseThrow();
        Matcher m = Pattern.compile("#EXT-X-PART:[^\n]*URI=\"hls/part/(\\d+)\\.(\\d+)\\.m4s").matcher(playlist);
        List<long[]> out = new ArrayList<>();
        while (m.find()) {
            byte[] part = hls.part(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))).orElseThrow();
            out.addAll(samples(ByteBuffer.wrap(part), 2));
        }
        return out;
    }

    /** The samples of one track in a run of moof+mdat fragments (one sample each, as the hub muxes them). */
    static List<long[]> samples(ByteBuffer b, int trackId) {
        List<long[]> out = new ArrayList<>();
        while (b.remaining() >= 8) {
            int start = b.position();
            int size = b.getInt();
            String type = fourCc(b);
            if (type.equals("moof")) {
                int moofEnd = start + size;
                int track = -1;
                long decode = -1;
                long duration = -1;
                long dataOffset = 0;
                long sampleSize = 0;
                int p = start + 8;
                while (p < moofEnd) {
                    int s = b.getInt(p);
                    String t = fourCc(b, p + 4);
                    if (t.equals("traf")) {
                        int q = p + 8;
                        while (q < p + s) {
                            int bs = b.getInt(q);
                            String bt = fourCc(b, q + 4);
                            if (bt.equals("tfhd")) {
                                track = b.getInt(q + 12);
                            } else if (bt.equals("tfdt")) {
                                decode = b.getLong(q + 12);
                            } else if (bt.equals("trun")) {
                                dataOffset = b.getInt(q + 16);
                                duration = Integer.toUnsignedLong(b.getInt(q + 20));
                                sampleSize = Integer.toUnsignedLong(b.getInt(q + 24));
                            }
                            q += bs;
                        }
                    }
                    p += s;
                }
                if (track == trackId) {
                    out.add(new long[]{decode, duration, b.get(start + (int) dataOffset) & 0xFF, sampleSize});
                }
            }
            b.position(start + size);
        }
        return out;
    }

    private static String fourCc(ByteBuffer b) {
        String s = fourCc(b, b.position());
        b.position(b.position() + 4);
        return s;
    }

    private static String fourCc(ByteBuffer b, int at) {
        return new String(new byte[]{b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)}, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
