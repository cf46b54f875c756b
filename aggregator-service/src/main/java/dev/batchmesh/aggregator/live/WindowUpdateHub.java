package dev.batchmesh.aggregator.live;

import dev.batchmesh.aggregator.merge.WindowMergeListener;
import dev.batchmesh.aggregator.merge.WindowMerged;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Fans merged windows out to live subscribers of this instance. Best effort by design: a
 * subscriber too slow to keep up misses updates rather than holding back the stream thread, and
 * every event carries the window's whole state, so the next one repairs any gap.
 */
public class WindowUpdateHub implements WindowMergeListener {

    private final Sinks.Many<WindowMerged> sink = Sinks.many().multicast().directBestEffort();

    /** Synchronized because several stream threads may merge at once and a sink needs serial calls. */
    @Override
    public synchronized void onWindowMerged(WindowMerged event) {
        sink.tryEmitNext(event);
    }

    public Flux<WindowMerged> updates() {
        return sink.asFlux();
    }
}
