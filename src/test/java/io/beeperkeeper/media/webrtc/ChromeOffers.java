package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;

import java.util.Optional;

/** SDP offers shaped like Chromium's for WHEP (two recvonly transceivers), and camera tracks, for tests. */
final class ChromeOffers {
    private ChromeOffers() {
    }

    static final String VIDEO_SECTION = """
            m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125 39 40
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:Zx9q
            a=ice-pwd:7cI4Rk1bWd8LQ1h2ZfLr3sJe
            a=ice-options:trickle
            a=fingerprint:sha-256 1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00:1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00
            a=setup:actpass
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
            a=recvonly
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=rtpmap:102 H264/90000
            a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
            a=rtpmap:103 rtx/90000
            a=fmtp:103 apt=102
            a=rtpmap:104 H264/90000
            a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
            a=rtpmap:105 rtx/90000
            a=fmtp:105 apt=104
            a=rtpmap:106 H264/90000
            a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
            a=rtpmap:107 rtx/90000
            a=fmtp:107 apt=106
            a=rtpmap:108 H264/90000
            a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
            a=rtpmap:109 rtx/90000
            a=fmtp:109 apt=108
            a=rtpmap:127 H264/90000
            a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
            a=rtpmap:125 rtx/90000
            a=fmtp:125 apt=127
            a=rtpmap:39 H264/90000
            a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=f4001f
            a=rtpmap:40 rtx/90000
            a=fmtp:40 apt=39
            """;

    static final String AUDIO_SECTION = """
            m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:Zx9q
            a=ice-pwd:7cI4Rk1bWd8LQ1h2ZfLr3sJe
            a=ice-options:trickle
            a=fingerprint:sha-256 1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00:1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00
            a=setup:actpass
            a=mid:1
            a=recvonly
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:63 red/48000/2
            a=fmtp:63 111/111
            a=rtpmap:9 G722/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:13 CN/8000
            a=rtpmap:110 telephone-event/48000
            a=rtpmap:126 telephone-event/8000
            """;

    static String offer(String... sections) {
        StringBuilder mids = new StringBuilder();
        for (int i = 0; i < sections.length; i++) {
            mids.append(' ').append(i);
        }
        StringBuilder s = new StringBuilder("""
                v=0
                o=- 4611731400430051336 2 IN IP4 127.0.0.1
                s=-
                t=0 0
                a=group:BUNDLE%s
                a=extmap-allow-mixed
                a=msid-semantic: WMS
                """.formatted(mids));
        for (String section : sections) {
            s.append(section);
        }
        return s.toString().replace("\n", "\r\n");
    }

    /** Video then audio, as our page and most WHEP players offer. */
    static String videoAudio() {
        return offer(VIDEO_SECTION, AUDIO_SECTION.replace("a=mid:1", "a=mid:1"));
    }

    /** Audio first (mid 0), then video (mid 1). */
    static String audioVideo() {
        return offer(AUDIO_SECTION.replace("a=mid:1", "a=mid:0"), VIDEO_SECTION.replace("a=mid:0", "a=mid:1"));
    }

    static VideoTrack video(String profileLevelId) {
        int v = Integer.parseInt(profileLevelId, 16);
        byte[] sps = {0x67, (byte) (v >> 16), (byte) (v >> 8), (byte) v, (byte) 0xDA, 0x02, (byte) 0x80};
        return new VideoTrack("avc1." + profileLevelId.toUpperCase(), v >> 16, v & 0xFF, 640, 480, 15, sps, new byte[]{0x68, (byte) 0xCE, 0x38, (byte) 0x80});
    }

    static Tracks videoOnly() {
        return Tracks.videoOnly(video("42c01e"));
    }

    static Tracks videoOpus() {
        byte[] opusHead = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 0x38, 1, (byte) 0x80, (byte) 0xBB, 0, 0, 0, 0, 0};
        return new Tracks(video("42c01e"), Optional.of(new AudioTrack(AudioTrack.Codec.OPUS, 48_000, 1, opusHead)));
    }

    static Tracks videoAac() {
        return new Tracks(video("42c01e"), Optional.of(new AudioTrack(AudioTrack.Codec.AAC, 48_000, 1, new byte[]{0x11, (byte) 0x88})));
    }
}
