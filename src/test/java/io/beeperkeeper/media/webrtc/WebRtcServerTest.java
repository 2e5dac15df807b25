package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.web.webrtc.WhepModule;
import io.beeperkeeper.config.WebRtcConfig;
import io.beeperkeeper.media.Stream;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ICE-lite behaviour of the shared UDP port: answers only checks with the right credentials, and consent expiry. */
class WebRtcServerTest {
    /** How long a test waits for the hub's UDP side to answer or act: generous, for a loaded machine. */
    private static final int SERVER_MS = 30_000;

    private static Stream liveStream() {
        Stream s = new Stream("cam");
        s.publishTracks(ChromeOffers.videoOnly());
        return s;
    }

    private static String ufrag(String answer) {
        return answer.lines().filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow().substring(12);
    }

    private static String pwd(String answer) {
        return answer.lines().filter(l -> l.startsWith("a=ice-pwd:")).findFirst().orElseThrow().substring(10);
    }

    @Test
    void answersValidChecksOnlyAndClosesTheSessionWhenConsentStops() throws Exception {
        Stream stream = liveStream();
        try (WebRtcServer server = new WebRtcServer(new WebRtcConfig(true, "127.0.0.1", 0, "", 2, 5), n -> Optional.of(stream));
             DatagramSocket browser = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            WebRtcServer.Created c = (WebRtcServer.Created) server.createSession("cam", ChromeOffers.videoAudio(), InetAddress.getLoopbackAddress());
            assertThat(c.answer()).contains("a=candidate:1 1 udp 2130706429 127.0.0.1 " + server.port() + " typ host");
            browser.setSoTimeout(SERVER_MS);
            InetSocketAddress hub = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());

            byte[] forged = StunClient.bindingRequest(new byte[12], ufrag(c.answer()) + ":Zx9q", "wrong-password", true);
            browser.send(new DatagramPacket(forged, forged.length, hub));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            // A quiet half second shows no answer; an answer the hub sent later still fails the test below,
            // as the next packet read would carry the forged request's transaction id.
            browser.setSoTimeout(500);
            assertThatThrownBy(() -> browser.receive(in)).isInstanceOf(SocketTimeoutException.class);

            byte[] tid = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
            byte[] good = StunClient.bindingRequest(tid, ufrag(c.answer()) + ":Zx9q", pwd(c.answer()), true);
            browser.setSoTimeout(SERVER_MS);
            browser.send(new DatagramPacket(good, good.length, hub));
            browser.receive(in);
            assertThat(Stun.readShort(in.getData(), 0)).isEqualTo(0x0101);
            assertThat(java.util.Arrays.copyOfRange(in.getData(), 8, 20)).isEqualTo(tid);
            // the session learns the browser's address on the receive thread, right after answering
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMillis(SERVER_MS)).untilAsserted(() ->
                    assertThat(server.session(c.sessionId()).orElseThrow().remote()).contains(String.valueOf(browser.getLocalPort())));

            // No more checks: after the 5 s consent timeout (and the 1 s timer) the session is gone.
            org.awaitility.Awaitility.await("the session closed for lack of consent").atMost(java.time.Duration.ofMillis(SERVER_MS))
                    .until(() -> server.sessionCount() == 0);
        }
    }

    @Test
    void cameraThatIsNotLiveYetIs503() {
        Stream offline = new Stream("cam");
        try (WebRtcServer server = new WebRtcServer(new WebRtcConfig(true, "127.0.0.1", 0, "", 2, 30), n -> Optional.of(offline))) {
            assertThat(server.createSession("cam", ChromeOffers.videoAudio(), null))
                    .isInstanceOfSatisfying(WebRtcServer.Refused.class, e -> {
                        assertThat(e.reason()).isEqualTo(WebRtcServer.Reason.NOT_LIVE);
                        assertThat(WhepModule.status(e.reason())).isEqualTo(503);
                        assertThat(e.message()).contains("not live yet");
                    });
        }
    }
}
