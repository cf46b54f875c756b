package dev.batchmesh.bench.loadgen.schedule;

/** Time that only moves when told: sleeping jumps to the wake-up time. */
final class VirtualClock implements NanoClock {

    private long now;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleepUntil(long nanos) {
        now = Math.max(now, nanos);
    }

    void advanceTo(long nanos) {
        now = Math.max(now, nanos);
    }
}
