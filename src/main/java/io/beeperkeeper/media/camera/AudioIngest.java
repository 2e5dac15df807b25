package io.beeperkeeper.media.camera;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.audio.AdtsReader;
import io.beeperkeeper.media.audio.AudioPacketSink;
import io.beeperkeeper.media.audio.OggOpusReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A camera's audio, from the process's loopback audio output to {@link Frame}s on the stream: Ogg Opus
 * or ADTS AAC parsed into packets, stamped on the stream clock. Packets continue from their first
 * arrival by their sample counts and are re-anchored when they fall more than 60 ms behind arrival or
 * run 40 ms ahead of it: pictures are stamped at arrival, and players tie the picture to the sound, so
 * sound stamps that drift from arrival would put sound and picture out of step (a starved test source
 * that catches up sends more samples than time has passed). A packet cannot arrive before it was
 * recorded, so running ahead means the anchor came from a late packet. Packets wait until the video
 * side has published tracks with this audio track.
 */
final class AudioIngest implements AudioPacketSink {
    private final Stream stream;
    private final StreamClock time;
    private volatile AudioTrack pending;
    private long nextUs = -1;

    AudioIngest(Stream stream, StreamClock time) {
        this.stream = stream;
        this.time = time;
    }

    /** Forgets the previous process's track: a new process announces its own. */
    void reset() {
        pending = null;
    }

    /** The audio track of the running process once its header arrived, else null. */
    AudioTrack track() {
        return pending;
    }

    /**
     * Reads packets until the process closes its audio output. Buffered: an Ogg page is read in one
     * system call instead of three (header, lacing, body), which is most of what audio costs an idle hub;
     * a read returns what has arrived, so nothing waits for a full buffer.
     */
    void read(InputStream raw, String format) throws IOException {
        InputStream in = new BufferedInputStream(raw, 8192);
        if ("ogg".equals(format)) {
            new OggOpusReader(this).run(in);
        } else {
            new AdtsReader(this).run(in);
        }
    }

    @Override
    public void onTrack(AudioTrack track) {
        pending = track;
        nextUs = -1;
    }

    @Override
    public void onPacket(byte[] packet, int samples) {
        AudioTrack a = pending;
        if (a == null || stream.tracks().flatMap(Tracks::audio).filter(a::equals).isEmpty()) {
            return;
        }
        long duration = samples * 1_000_000L / a.timescale();
        long now = time.nowUs();
        long lateness = now - duration - nextUs;
        // Keep audio stamps within 60 ms of arrival: stamps that lag would hold the player's buffered
        // end (the intersection of both tracks) back, and with it the video; stamps ahead of arrival
        // put the sound behind the picture.
        if (nextUs < 0 || lateness > 60_000 || lateness < -40_000) {
            nextUs = Math.max(0, now - duration);
        }
        long t = nextUs;
        nextUs += duration;
        stream.publish(new Frame(MediaKind.AUDIO, t, duration, true, List.of(packet), time.wallMs()));
    }
}
