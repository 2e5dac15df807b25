package io.beeperkeeper.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** Moquette's per-message warnings become counts the keeper sees in health and /metrics. */
class BrokerLogFilterTest {
    private final LoggerContext context = new LoggerContext();
    private final BrokerLogFilter filter = new BrokerLogFilter(Clock.systemUTC());

    @Test
    void aPublishDroppedOnAFullSessionQueueIsCountedAndNotLoggedEachTime() {
        var postOffice = context.getLogger("io.moquette.broker.SessionEventLoopGroup");
        for (int i = 0; i < 3; i++) {
            assertThat(filter.decide(null, postOffice, Level.WARN, "Session command queue {} is full executing action {}",
                    new Object[] {1, "PUB QoS0"}, null)).isEqualTo(FilterReply.DENY);
        }
        assertThat(filter.queueFull()).isEqualTo(3);
    }

    @Test
    void aPublishDroppedOnItsWayToASubscriberIsCountedApartFromUnroutedOnes() {
        var loops = context.getLogger("io.moquette.broker.SessionEventLoopGroup");
        assertThat(filter.decide(null, loops, Level.WARN, "Session command queue {} is full executing action {}",
                new Object[] {1, "batched PUB"}, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.deliveryQueueFull()).isEqualTo(1);
        assertThat(filter.queueFull()).isZero();
    }

    @Test
    void otherFullQueueActionsAndOtherLoggersPassUncounted() {
        var postOffice = context.getLogger("io.moquette.broker.SessionEventLoopGroup");
        assertThat(filter.decide(null, postOffice, Level.WARN, "Session command queue {} is full executing action {}",
                new Object[] {0, "SUB"}, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger("somewhere.Else"), Level.WARN, "Session command queue {} is full executing action {}",
                new Object[] {0, "PUB QoS0"}, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.queueFull()).isZero();
    }
}
