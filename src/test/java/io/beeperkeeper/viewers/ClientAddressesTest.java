package io.beeperkeeper.viewers;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.beeperkeeper.viewers.CloudflareAccessVerifierTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressesTest {
    final ClientAddresses proxies = ClientAddresses.parse("127.0.0.1, 10.0.0.0/8, ::1");

    @Test
    void socketAddressIsUsedWhenThePeerIsNotATrustedProxy() {
        assertThat(proxies.clientAddress(request("192.168.1.5", Map.of("X-Forwarded-For", "1.2.3.4", "CF-Connecting-IP", "5.6.7.8"))))
                .isEqualTo("192.168.1.5");
    }

    @Test
    void trustedProxyMayNameTheClient() {
        assertThat(proxies.clientAddress(request("127.0.0.1", Map.of("CF-Connecting-IP", "198.51.100.7")))).isEqualTo("198.51.100.7");
        assertThat(proxies.clientAddress(request("10.1.2.3", Map.of("X-Forwarded-For", "6.6.6.6, 198.51.100.8, 10.0.0.2"))))
                .as("nearest untrusted hop").isEqualTo("198.51.100.8");
        assertThat(proxies.clientAddress(request("127.0.0.1", Map.of("X-Forwarded-For", "not-an-ip")))).isEqualTo("127.0.0.1");
        assertThat(proxies.clientAddress(request("127.0.0.1", Map.of()))).isEqualTo("127.0.0.1");
    }

    @Test
    void cidrBlocksMatchByPrefix() {
        AddressBlock b = AddressBlock.parse("192.168.0.0/23");
        assertThat(b.contains(AddressBlock.parseLiteral("192.168.1.200").orElseThrow())).isTrue();
        assertThat(b.contains(AddressBlock.parseLiteral("192.168.2.1").orElseThrow())).isFalse();
        assertThat(b.contains(AddressBlock.parseLiteral("::1").orElseThrow())).isFalse();
        assertThat(AddressBlock.parseLiteral("example.com")).isEmpty();
        assertThatThrownBy(() -> AddressBlock.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localModeNamesByClientAddressAndTrustedProxyModeOnlyBelievesTheProxy() {
        assertThat(IdentityResolvers.local(proxies).resolve(request("192.168.1.5", Map.of())))
                .isEqualTo(new IdentityResult.Identified(new ViewerIdentity("local-192.168.1.5", ViewerIdentity.Source.LOCAL)));
        IdentityResolver viaProxy = IdentityResolvers.trustedProxy(proxies, "X-Forwarded-User");
        assertThat(viaProxy.resolve(request("127.0.0.1", Map.of("X-Forwarded-User", "bob@example.com"))))
                .isEqualTo(new IdentityResult.Identified(new ViewerIdentity("bob", ViewerIdentity.Source.PROXY_USER)));
        assertThat(viaProxy.resolve(request("192.168.1.5", Map.of("X-Forwarded-User", "bob")))).isInstanceOf(IdentityResult.Refused.class);
        assertThat(viaProxy.resolve(request("127.0.0.1", Map.of()))).isInstanceOf(IdentityResult.Refused.class);
    }
}
