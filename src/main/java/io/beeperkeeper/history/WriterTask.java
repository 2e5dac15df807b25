package io.beeperkeeper.history;

import io.beeperkeeper.metric.MetricSample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What goes on the writer's queue: a sample to store, or a request that is completed once the writer
 * has done it. Each task sorts itself into the writer's next {@link Batch}.
 */
sealed interface WriterTask {
    void addTo(Batch batch);

    /** A sample to store. */
    record Sample(MetricSample sample) implements WriterTask {
        @Override
        public void addTo(Batch batch) {
            batch.samples.add(sample);
        }
    }

    /** Something asked of the writer by a caller who waits for {@link #done()}. */
    sealed interface Request extends WriterTask {
        CompletableFuture<Void> done();

        @Override
        default void addTo(Batch batch) {
            batch.requests.add(this);
        }

        /** True when the rollups held in memory are to be written with this batch. */
        default boolean wantsRollups() {
            return false;
        }

        /** True when retention is to be applied after this batch. */
        default boolean wantsRetention() {
            return false;
        }
    }

    /** Commit everything queued before it. */
    record Flush(CompletableFuture<Void> done) implements Request {
        Flush() {
            this(new CompletableFuture<>());
        }
    }

    /** Commit everything queued before it, with the rollups. */
    record FlushRollups(CompletableFuture<Void> done) implements Request {
        FlushRollups() {
            this(new CompletableFuture<>());
        }

        @Override
        public boolean wantsRollups() {
            return true;
        }
    }

    /** Commit everything queued before it, then apply retention. */
    record ApplyRetention(CompletableFuture<Void> done) implements Request {
        ApplyRetention() {
            this(new CompletableFuture<>());
        }

        @Override
        public boolean wantsRetention() {
            return true;
        }
    }

    /** What the writer took from the queue for its next transaction. */
    final class Batch {
        final List<MetricSample> samples = new ArrayList<>();
        final List<Request> requests = new ArrayList<>();

        boolean rollupsAsked() {
            return requests.stream().anyMatch(Request::wantsRollups);
        }

        boolean retentionAsked() {
            return requests.stream().anyMatch(Request::wantsRetention);
        }
    }
}
