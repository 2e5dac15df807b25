package io.beeperkeeper.media.webrtc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebRtcCapabilityTest {
    @Test
    void aacCameraSaysVideoOnly() {
        assertThat(WebRtcCapability.describe(ChromeOffers.videoAac(), true))
                .containsEntry("webrtc", true).containsEntry("webrtcAudio", false)
                .hasEntrySatisfying("webrtcNote", n -> assertThat((String) n).contains("AAC").contains("video only"));
        assertThat(WebRtcCapability.describe(ChromeOffers.videoOpus(), true)).containsEntry("webrtcAudio", true);
        assertThat(WebRtcCapability.describe(ChromeOffers.videoOnly(), true)).containsEntry("webrtcAudio", false);
        assertThat(WebRtcCapability.describe(ChromeOffers.videoOpus(), false)).containsEntry("webrtc", false).containsEntry("webrtcAudio", false);
    }
}
