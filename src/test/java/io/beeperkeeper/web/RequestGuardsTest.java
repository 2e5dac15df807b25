package io.beeperkeeper.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestGuardsTest {
    @Test
    void sameHostComparesHostAndPortOnly() {
        assertThat(RequestGuards.sameHost("http://127.0.0.1:8080", "127.0.0.1:8080")).isTrue();
        assertThat(RequestGuards.sameHost("https://coop.example.com", "coop.example.com")).as("TLS ends at the proxy").isTrue();
        assertThat(RequestGuards.sameHost("https://coop.example.com", "coop.example.com:443")).isTrue();
        assertThat(RequestGuards.sameHost("http://coop.example.com:80/page?x", "coop.example.com")).isTrue();
        assertThat(RequestGuards.sameHost("http://Coop.Example.com", "coop.example.com")).isTrue();
        assertThat(RequestGuards.sameHost("http://127.0.0.1:8081", "127.0.0.1:8080")).isFalse();
        assertThat(RequestGuards.sameHost("http://coop.example.com.evil.net", "coop.example.com")).isFalse();
        assertThat(RequestGuards.sameHost("null", "coop.example.com")).isFalse();
        assertThat(RequestGuards.sameHost("file:///etc/passwd", "coop.example.com")).isFalse();
        assertThat(RequestGuards.sameHost("http://coop.example.com", null)).isFalse();
        assertThat(RequestGuards.sameHost("http://[::1]:8080", "[::1]:8080")).isTrue();
    }
}
