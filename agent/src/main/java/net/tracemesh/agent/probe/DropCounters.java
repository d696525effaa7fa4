package net.tracemesh.agent.probe;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts dropped replies by reason; safe to update from the capture and prober threads at once. */
public final class DropCounters {
    private final Map<DropReason, LongAdder> counts = new EnumMap<>(DropReason.class);

    public DropCounters() {
        for (DropReason r : DropReason.values()) {
            counts.put(r, new LongAdder());
        }
    }

    public void increment(DropReason reason) {
        counts.get(reason).increment();
    }

    public long get(DropReason reason) {
        return counts.get(reason).sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A snapshot, reasons with a zero count left out. */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> result = new EnumMap<>(DropReason.class);
        counts.forEach((r, c) -> {
            long v = c.sum();
            if (v > 0) {
                result.put(r, v);
            }
        });
        return result;
    }
}
