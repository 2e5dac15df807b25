package io.beeperkeeper.telemetry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiskQueueTest {
    private static DiskQueue.Message m(int i) {
        return new DiskQueue.Message("beeper/t", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), false);
    }

    private static int n(DiskQueue.Message m) {
        String s = new String(m.payload(), StandardCharsets.UTF_8);
        return Integer.parseInt(s.replaceAll("[^0-9]", ""));
    }

    @Test
    void inOrderAcrossSegmentsAndRestarts(@TempDir Path dir) {
        DiskQueue q = new DiskQueue(dir, 10_000);
        for (int i = 0; i < 1200; i++) {
            q.add(m(i));
        }
        assertThat(q.peek(3)).extracting(DiskQueueTest::n).containsExactly(0, 1, 2);
        q.acknowledge(510);
        DiskQueue again = new DiskQueue(dir, 10_000); // the hub restarted
        assertThat(again.size()).isLessThanOrEqualTo(1200 - 500).isGreaterThanOrEqualTo(1200 - 510);
        List<DiskQueue.Message> rest = again.peek(10_000);
        assertThat(n(rest.get(rest.size() - 1))).isEqualTo(1199);
        for (int i = 1; i < rest.size(); i++) {
            assertThat(n(rest.get(i))).isEqualTo(n(rest.get(i - 1)) + 1);
        }
    }

    @Test
    void fullQueueDropsTheOldestAndCounts(@TempDir Path dir) {
        DiskQueue q = new DiskQueue(dir, 100);
        for (int i = 0; i < 250; i++) {
            q.add(m(i));
        }
        assertThat(q.size()).isEqualTo(100);
        assertThat(q.dropped()).isEqualTo(150);
        assertThat(q.peek(1)).extracting(DiskQueueTest::n).containsExactly(150);
        q.acknowledge(100);
        assertThat(q.isEmpty()).isTrue();
        q.add(m(7));
        assertThat(new DiskQueue(dir, 100).peek(5)).extracting(DiskQueueTest::n).containsExactly(7);
    }
}
