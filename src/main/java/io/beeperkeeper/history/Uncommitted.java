package io.beeperkeeper.history;

import io.beeperkeeper.metric.MetricSample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The readings the writer holds but has not committed yet (queued, in the batch being gathered, or
 * kept for a retry), so charts show a reading as soon as it arrives while the SD card is still written
 * once per {@code flushSeconds}. A reading is added before it is queued and removed once it is
 * committed or dropped; bounded by the writer's queue and retry buffer.
 */
final class Uncommitted {
    /** One series' pending values by time (ms); the first value at a time wins, as in the table. */
    private static final class Pending {
        final ConcurrentSkipListMap<Long, Double> values = new ConcurrentSkipListMap<>();
        volatile String unit = "";
    }

    /** The pending span of one series. */
    record Span(String node, String metric, String unit, long first, long last) {
    }

    private final Map<String, Pending> byKey = new ConcurrentHashMap<>();

    /** Adds a reading; false when one of that series and time is already pending (then nothing changes). */
    boolean add(MetricSample s) {
        boolean[] added = new boolean[1];
        byKey.compute(SeriesCatalog.key(s.node(), s.metric()), (k, p) -> {
            Pending q = p == null ? new Pending() : p;
            added[0] = q.values.putIfAbsent(s.time().toEpochMilli(), s.value()) == null;
            q.unit = s.unit();
            return q;
        });
        return added[0];
    }

    /** The reading is committed (or dropped): charts read it from the database from now on (or never). */
    void remove(MetricSample s) {
        byKey.computeIfPresent(SeriesCatalog.key(s.node(), s.metric()), (k, p) -> {
            p.values.remove(s.time().toEpochMilli(), s.value());
            return p.values.isEmpty() ? null : p;
        });
    }

    void removeAll(List<MetricSample> samples) {
        samples.forEach(this::remove);
    }

    /** A copy of the pending values of one series from {@code from} (inclusive) to {@code to} (exclusive). */
    NavigableMap<Long, Double> values(String node, String metric, long from, long to) {
        Pending p = byKey.get(SeriesCatalog.key(node, metric));
        return p == null ? new TreeMap<>() : new TreeMap<>(p.values.subMap(from, true, to, false));
    }

    /** The series with pending readings and their span. */
    List<Span> spans() {
        List<Span> out = new ArrayList<>();
        for (Map.Entry<String, Pending> e : byKey.entrySet()) {
            Pending p = e.getValue();
            Map.Entry<Long, Double> first = p.values.firstEntry();
            Map.Entry<Long, Double> last = p.values.lastEntry();
            if (first == null || last == null) {
                continue;
            }
            String k = e.getKey();
            int cut = k.indexOf('\u0000');
            out.add(new Span(k.substring(0, cut), k.substring(cut + 1), p.unit, first.getKey(), last.getKey()));
        }
        return out;
    }
}
