package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebRtcConfigTest {
    @Test
    void defaultsAndEnvironmentOverrides() {
        BeeperConfig c = new ConfigLoader().load(null, Map.of("BEEPER_WEBRTC_UDP_PORT", "9000",
                "BEEPER_WEBRTC_ADDRESSES", "192.168.1.20, 10.0.0.5", "BEEPER_WEBRTC_MAX_SESSIONS_PER_CAMERA", "3"), Map.of());
        assertThat(c.webrtc().enabled()).isTrue();
        assertThat(c.webrtc().udpPort()).isEqualTo(9000);
        assertThat(c.webrtc().addressList()).isEqualTo(List.of("192.168.1.20", "10.0.0.5"));
        assertThat(c.webrtc().maxSessionsPerCamera()).isEqualTo(3);
        assertThat(c.webrtc().consentTimeoutSeconds()).isEqualTo(30);
        assertThat(new ConfigLoader().knownKeys()).contains("webrtc.udpPort", "webrtc.enabled", "webrtc.addresses");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_WEBRTC_UDP_PORT", "70000"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("webrtc.udpPort");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of(), Map.of("webrtc.addresses", "my-host.local")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("webrtc.addresses");
    }
}
