package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.audio.AudioPacketSink;
import io.beeperkeeper.media.audio.OggOpusReader;
import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.media.h264.AnnexBReader;
import io.beeperkeeper.media.h264.Sps;
import io.beeperkeeper.media.h264.SpsRewriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ffmpeg test-pattern camera feeding a {@link Stream} for WebRTC tests and benchmarks, the way
 * the media package's camera supervisor does: x264 Constrained Baseline (Annex B on stdout) and,
 * optionally, Opus in Ogg from a second ffmpeg. The picture shows the wall clock (ms) for latency
 * measurement. Both feeds are stamped from one monotonic clock.
 */
final class TestCamera implements AutoCloseable {
    private final Stream stream;
    private final boolean withAudio;
    private final List<Process> processes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long t0 = System.nanoTime();
    private VideoTrack video;
    private AudioTrack audio;
    private long audioSamples;

    TestCamera(String name, boolean withAudio, int fps) throws IOException {
        this.stream = new Stream(name);
        this.withAudio = withAudio;
        long midnightUs = java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
        String vf = "settb=AVTB,setpts=RTCTIME-" + midnightUs + ",drawtext=fontsize=64:fontcolor=white:box=1:boxcolor=black:x=20:y=20:"
                + "text='%{pts\\:hms}',setpts=N/FRAME_RATE/TB";
        start(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                "testsrc2=size=640x480:rate=" + fps, "-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-bf", "0", "-g", String.valueOf(fps * 2), "-pix_fmt", "yuv420p", "-f", "h264", "pipe:1"), in -> new AnnexBReader(this::onVideo).run(in));
        if (withAudio) {
            start(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20", "-application", "lowdelay",
                    "-page_duration", "20000", "-flush_packets", "1", "-f", "ogg", "pipe:1"), in -> new OggOpusReader(new AudioPacketSink() {
                        @Override
                        public void onTrack(AudioTrack track) {
                            synchronized (TestCamera.this) {
                                audio = track;
                                publishTracks();
                            }
                        }

                        @Override
                        public void onPacket(byte[] packet, int samples) {
                            onAudio(packet, samples);
                        }
                    }).run(in));
        }
    }

    private interface Reader {
        void run(java.io.InputStream in) throws IOException;
    }

    private void start(List<String> cmd, Reader reader) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        Thread t = new Thread(() -> {
            try {
                reader.run(p.getInputStream());
            } catch (IOException e) {
                // process ended
            }
        }, "test-camera-" + stream.name());
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    private long nowUs() {
        return (System.nanoTime() - t0) / 1000;
    }

    private synchronized void onVideo(AccessUnit au) {
        if (au.keyframe() && au.sps() != null && au.pps() != null && video == null) {
            byte[] sps = SpsRewriter.withoutReordering(au.sps());
            Sps s = Sps.parse(sps);
            video = new VideoTrack(s.codecString(), s.profileIdc(), s.levelIdc(), s.width(), s.height(), 15, sps, au.pps());
            publishTracks();
        }
        if (stream.tracks().isPresent()) {
            stream.publish(new Frame(MediaKind.VIDEO, nowUs(), 66_666, au.keyframe(), au.nals(), System.currentTimeMillis()));
        }
    }

    private synchronized void onAudio(byte[] packet, int samples) {
        if (stream.tracks().isPresent()) {
            stream.publish(new Frame(MediaKind.AUDIO, nowUs(), samples * 1_000_000L / 48_000, true, List.of(packet), System.currentTimeMillis()));
        }
        audioSamples += samples;
    }

    private void publishTracks() {
        if (video != null && (!withAudio || audio != null)) {
            stream.publishTracks(Tracks.of(video, audio));
        }
    }

    Stream stream() {
        return stream;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        stream.close();
    }
}
