package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.web.webrtc.WhepModule;
import io.beeperkeeper.media.Tracks;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WhepNegotiatorTest {
    private static final LocalEndpoint LOCAL = new LocalEndpoint("hubU", "hubPasswordHubPasswordHub", "AA:BB:CC",
            List.of(new InetSocketAddress("127.0.0.1", 8189)), 1111, 2222, "beeper", "cam");

    private static SessionDescription answer(String offer, Tracks tracks) throws NegotiationException {
        return SessionDescription.parse(WhepNegotiator.negotiate(offer, tracks, LOCAL).answer());
    }

    @Test
    void videoOnlyCameraAnswersAudioInactiveAndStillPlaysVideo() throws Exception {
        Negotiated n = WhepNegotiator.negotiate(ChromeOffers.videoAudio(), ChromeOffers.videoOnly(), LOCAL);
        SessionDescription a = SessionDescription.parse(n.answer());
        assertThat(n.videoPayloadType()).isEqualTo(106); // 42e01f: Constrained Baseline, like the camera's 42c01e
        assertThat(n.sendsAudio()).isFalse();
        assertThat(n.audioNote()).contains("no audio");
        assertThat(a.media()).hasSize(2);
        SessionDescription.Media video = a.media().get(0);
        SessionDescription.Media audio = a.media().get(1);
        assertThat(video.formats()).containsExactly("106");
        assertThat(video.direction()).isEqualTo("sendonly");
        assertThat(video.attribute("fmtp")).hasValue("106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
        assertThat(audio.direction()).isEqualTo("inactive");
        assertThat(audio.attributes("ssrc")).isEmpty();
        assertThat(a.attribute("ice-lite")).isPresent();
        assertThat(video.attribute("setup")).hasValue("passive");
        assertThat(video.attribute("fingerprint")).hasValue("sha-256 AA:BB:CC");
        assertThat(video.attribute("ice-ufrag")).hasValue("hubU");
        assertThat(video.has("rtcp-mux")).isTrue();
        assertThat(video.attribute("mid")).hasValue("0");
        assertThat(video.attributes("ssrc")).contains("1111 cname:beeper");
        assertThat(video.attribute("msid")).hasValue("cam video");
        assertThat(video.attributes("candidate")).containsExactly("1 1 udp 2130706429 127.0.0.1 8189 typ host");
        assertThat(n.remoteUfrag()).isEqualTo("Zx9q");
        assertThat(n.playoutDelayExtId()).isEqualTo(5);
        assertThat(video.attributes("extmap")).containsExactly("5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay");
        assertThat(audio.attributes("extmap")).isEmpty();
        assertThat(n.remoteFingerprint()).startsWith("sha-256 1F:2E");
    }

    @Test
    void opusCameraSendsOpusOnTheOfferedPayloadType() throws Exception {
        Negotiated n = WhepNegotiator.negotiate(ChromeOffers.videoAudio(), ChromeOffers.videoOpus(), LOCAL);
        SessionDescription a = SessionDescription.parse(n.answer());
        assertThat(n.audioPayloadType()).isEqualTo(111);
        SessionDescription.Media audio = a.media().get(1);
        assertThat(audio.port()).isEqualTo(8189);
        assertThat(audio.direction()).isEqualTo("sendonly");
        assertThat(audio.formats()).containsExactly("111");
        assertThat(audio.attribute("rtpmap")).hasValue("111 opus/48000/2");
        assertThat(audio.attributes("ssrc")).contains("2222 cname:beeper");
        assertThat(a.attribute("group")).hasValue("BUNDLE 0 1");
    }

    @Test
    void aacCameraServesVideoOnlyAndSaysWhy() throws Exception {
        Negotiated n = WhepNegotiator.negotiate(ChromeOffers.videoAudio(), ChromeOffers.videoAac(), LOCAL);
        assertThat(n.sendsAudio()).isFalse();
        assertThat(n.audioNote()).contains("AAC");
        assertThat(SessionDescription.parse(n.answer()).media().get(1).direction()).isEqualTo("inactive");
    }

    @Test
    void answerKeepsTheOffersOrderAndMids() throws Exception {
        SessionDescription a = answer(ChromeOffers.audioVideo(), ChromeOffers.videoOpus());
        assertThat(a.media()).extracting(SessionDescription.Media::kind).containsExactly("audio", "video");
        assertThat(a.media().get(0).attribute("mid")).hasValue("0");
        assertThat(a.media().get(1).attribute("mid")).hasValue("1");
        assertThat(a.media().get(1).formats()).containsExactly("106");
    }

    @Test
    void picksTheProfileThatMatchesTheCamera() throws Exception {
        String offer = ChromeOffers.videoAudio();
        // Main-profile camera: 4d001f is the exact match.
        assertThat(WhepNegotiator.negotiate(offer, Tracks.videoOnly(ChromeOffers.video("4d0028")), LOCAL).videoPayloadType()).isEqualTo(127);
        // High-profile camera (rpicam-vid's default): only the High 4:4:4 decoder (f4001f) plays it.
        assertThat(WhepNegotiator.negotiate(offer, Tracks.videoOnly(ChromeOffers.video("640028")), LOCAL).videoPayloadType()).isEqualTo(39);
        // Constrained Baseline written as Main with constraint_set0 is still Constrained Baseline.
        assertThat(WhepNegotiator.negotiate(offer, Tracks.videoOnly(ChromeOffers.video("4d801f")), LOCAL).videoPayloadType()).isEqualTo(106);
    }

    @Test
    void constrainedBaselineFallsBackToASupersetProfile() throws Exception {
        String offer = ChromeOffers.offer(ChromeOffers.VIDEO_SECTION.replace("profile-level-id=42e01f", "profile-level-id=64001f"));
        // No CB offered now: Baseline (42001f) plays CB and is the closest superset.
        assertThat(WhepNegotiator.negotiate(offer, ChromeOffers.videoOnly(), LOCAL).videoPayloadType()).isEqualTo(102);
    }

    @Test
    void offerWithoutH264IsRejectedWith406NamingTheFix() {
        String vp8Only = ChromeOffers.offer("""
                m=video 9 UDP/TLS/RTP/SAVPF 96 97
                c=IN IP4 0.0.0.0
                a=ice-ufrag:Zx9q
                a=ice-pwd:7cI4Rk1bWd8LQ1h2ZfLr3sJe
                a=fingerprint:sha-256 1F:2E
                a=setup:actpass
                a=mid:0
                a=recvonly
                a=rtcp-mux
                a=rtpmap:96 VP8/90000
                a=rtpmap:97 rtx/90000
                a=fmtp:97 apt=96
                """);
        assertThatThrownBy(() -> WhepNegotiator.negotiate(vp8Only, ChromeOffers.videoOnly(), LOCAL))
                .isInstanceOfSatisfying(NegotiationException.class, e -> {
                    assertThat(WhepModule.status(e.reason())).isEqualTo(406);
                    assertThat(e.getMessage()).contains("no H.264").contains("42c01e");
                });
    }

    @Test
    void packetizationModeZeroOnlyIsRejected() {
        String mode0 = ChromeOffers.offer(ChromeOffers.VIDEO_SECTION.replace("packetization-mode=1", "packetization-mode=0"));
        assertThatThrownBy(() -> WhepNegotiator.negotiate(mode0, ChromeOffers.videoOnly(), LOCAL))
                .isInstanceOfSatisfying(NegotiationException.class, e -> {
                    assertThat(WhepModule.status(e.reason())).isEqualTo(406);
                    assertThat(e.getMessage()).contains("packetization-mode=1");
                });
    }

    @Test
    void audioOnlyOfferIs406() {
        String audioOnly = ChromeOffers.offer(ChromeOffers.AUDIO_SECTION.replace("a=mid:1", "a=mid:0"));
        assertThatThrownBy(() -> WhepNegotiator.negotiate(audioOnly, ChromeOffers.videoOpus(), LOCAL))
                .isInstanceOfSatisfying(NegotiationException.class, e -> assertThat(WhepModule.status(e.reason())).isEqualTo(406));
    }

    @Test
    void garbageIs400() {
        assertThatThrownBy(() -> WhepNegotiator.negotiate("hello", ChromeOffers.videoOnly(), LOCAL))
                .isInstanceOfSatisfying(NegotiationException.class, e -> {
                    assertThat(WhepModule.status(e.reason())).isEqualTo(400);
                    assertThat(e.getMessage()).contains("v=0");
                });
        assertThatThrownBy(() -> WhepNegotiator.negotiate("", ChromeOffers.videoOnly(), LOCAL))
                .isInstanceOfSatisfying(NegotiationException.class, e -> assertThat(WhepModule.status(e.reason())).isEqualTo(400));
    }

    @Test
    void passiveSetupIs400() {
        String passive = ChromeOffers.videoAudio().replace("a=setup:actpass", "a=setup:passive");
        assertThatThrownBy(() -> WhepNegotiator.negotiate(passive, ChromeOffers.videoOnly(), LOCAL))
                .isInstanceOfSatisfying(NegotiationException.class, e -> assertThat(e.getMessage()).contains("DTLS server"));
    }

    @Test
    void extraVideoSectionsAreRejectedWithPortZero() throws Exception {
        String two = ChromeOffers.offer(ChromeOffers.VIDEO_SECTION, ChromeOffers.VIDEO_SECTION.replace("a=mid:0", "a=mid:1"));
        SessionDescription a = answer(two, ChromeOffers.videoOnly());
        assertThat(a.media().get(0).port()).isEqualTo(8189);
        assertThat(a.media().get(1).port()).isZero();
        assertThat(a.attribute("group")).hasValue("BUNDLE 0");
    }

    @Test
    void profileClassification() {
        assertThat(H264Profile.parse("42e01f").profile()).isEqualTo(H264Profile.Profile.CONSTRAINED_BASELINE);
        assertThat(H264Profile.parse("42001f").profile()).isEqualTo(H264Profile.Profile.BASELINE);
        assertThat(H264Profile.parse("640c1f").profile()).isEqualTo(H264Profile.Profile.CONSTRAINED_HIGH);
        assertThat(H264Profile.parse("4d001f").decodableBy(H264Profile.parse("42e01f"))).isEqualTo(-1);
        assertThat(H264Profile.parse("42c01e").decodableBy(H264Profile.parse("42e01f"))).isZero();
    }
}
