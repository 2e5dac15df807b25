package io.beeperkeeper.media;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** LL-HLS viewers are the clients whose playlist requests keep coming, and a flood of them is bounded. */
class RecentClientsTest {
    @Test
    void aClientCountsWhileItKeepsAskingAndIsForgottenAfterTheWindow() {
        AtomicLong now = new AtomicLong();
        RecentClients c = new RecentClients(now::get);
        c.seen("10.0.0.2 Safari");
        c.seen("10.0.0.2 Safari");
        c.seen("10.0.0.3 hls.js");
        assertThat(c.count()).isEqualTo(2);
        now.addAndGet((RecentClients.WINDOW_SECONDS - 1) * 1_000_000_000L);
        c.seen("10.0.0.3 hls.js");
        now.addAndGet(2_000_000_000L);
        assertThat(c.count()).isEqualTo(1);
        now.addAndGet(RecentClients.WINDOW_SECONDS * 1_000_000_000L);
        assertThat(c.count()).isZero();
    }

    @Test
    void madeUpClientsBeyondTheCapForgetTheOldestFirst() {
        AtomicLong now = new AtomicLong();
        RecentClients c = new RecentClients(now::get);
        for (int i = 0; i < RecentClients.MAX_CLIENTS + 50; i++) {
            now.incrementAndGet();
            c.seen("client " + i);
        }
        assertThat(c.count()).isEqualTo(RecentClients.MAX_CLIENTS);
        c.seen("client " + (RecentClients.MAX_CLIENTS + 49)); // the newest is still known: no growth
        assertThat(c.count()).isEqualTo(RecentClients.MAX_CLIENTS);
    }
}
