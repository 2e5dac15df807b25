package io.beeperkeeper.media.rtsp;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Tracks;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The session description a DESCRIBE answers (RFC 4566): the camera's H.264 with its SPS/PPS as
 * {@code sprop-parameter-sets} (RFC 6184), and its audio when it has one: Opus (RFC 7587) or AAC as
 * mpeg4-generic (RFC 3640). Track 0 is video, track 1 audio.
 */
final class Sdp {
    static final int VIDEO_PT = 96;
    static final int AUDIO_PT = 97;

    private Sdp() {
    }

    static String describe(String camera, Tracks tracks, String serverAddress, long sessionId) {
        byte[] sps = tracks.video().sps();
        byte[] pps = tracks.video().pps();
        String profileLevel = sps.length >= 4 ? HexFormat.of().formatHex(sps, 1, 4).toUpperCase() : "42E01F";
        boolean ipv6 = serverAddress.contains(":");
        StringBuilder s = new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ").append(sessionId).append(" 1 IN ").append(ipv6 ? "IP6 " : "IP4 ").append(serverAddress).append("\r\n")
                .append("s=").append(camera).append("\r\n")
                .append("c=IN ").append(ipv6 ? "IP6 ::" : "IP4 0.0.0.0").append("\r\n")
                .append("t=0 0\r\n")
                .append("a=tool:Beeper Keeper\r\n")
                .append("a=range:npt=now-\r\n")
                .append("a=control:*\r\n")
                .append("m=video 0 RTP/AVP ").append(VIDEO_PT).append("\r\n")
                .append("a=rtpmap:").append(VIDEO_PT).append(" H264/90000\r\n")
                .append("a=fmtp:").append(VIDEO_PT).append(" packetization-mode=1;profile-level-id=").append(profileLevel)
                .append(";sprop-parameter-sets=").append(Base64.getEncoder().encodeToString(sps)).append(',')
                .append(Base64.getEncoder().encodeToString(pps)).append("\r\n");
        if (tracks.video().fps() > 0) {
            s.append("a=framerate:").append(trim(tracks.video().fps())).append("\r\n");
        }
        s.append("a=control:trackID=0\r\n");
        tracks.audio().ifPresent(a -> {
            s.append("m=audio 0 RTP/AVP ").append(AUDIO_PT).append("\r\n");
            if (a.codec() == AudioTrack.Codec.OPUS) {
                s.append("a=rtpmap:").append(AUDIO_PT).append(" opus/48000/2\r\n");
                s.append("a=fmtp:").append(AUDIO_PT).append(" sprop-stereo=").append(a.channels() > 1 ? 1 : 0).append("\r\n");
            } else {
                s.append("a=rtpmap:").append(AUDIO_PT).append(" MPEG4-GENERIC/").append(a.sampleRate()).append('/').append(a.channels()).append("\r\n");
                s.append("a=fmtp:").append(AUDIO_PT).append(" streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;"
                        + "indexdeltalength=3;config=").append(HexFormat.of().formatHex(a.codecConfig()).toUpperCase()).append("\r\n");
            }
            s.append("a=control:trackID=1\r\n");
        });
        return s.toString();
    }

    private static String trim(double fps) {
        return fps == Math.rint(fps) ? Long.toString((long) fps) : String.format(java.util.Locale.ROOT, "%.3f", fps);
    }
}
