package net.tracemesh.collector.bench;

import java.util.List;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.TraceCompletionMessage;

/**
 * The messages one synthetic trace publishes, as an agent would: its hop messages in TTL order, then its
 * completion, all under one Kafka key.
 *
 * @param key        {@code Topics.pathKey(agent, destination)}
 * @param hops       the hop messages ({@code completion.hopCount()} of them)
 * @param completion the completion message
 */
record SyntheticTrace(String key, List<HopMessage> hops, TraceCompletionMessage completion) {
    SyntheticTrace {
        if (key == null || completion == null) {
            throw new IllegalArgumentException("a trace has a key and a completion");
        }
        hops = List.copyOf(hops);
        if (hops.size() != completion.hopCount()) {
            throw new IllegalArgumentException("the completion announces " + completion.hopCount() + " hops, "
                    + hops.size() + " were made");
        }
    }
}
