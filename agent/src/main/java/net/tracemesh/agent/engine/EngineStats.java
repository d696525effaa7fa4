package net.tracemesh.agent.engine;

import java.util.Map;
import net.tracemesh.agent.probe.DropReason;

/**
 * Counters of an engine at one moment.
 *
 * @param probesSent  probes handed to the kernel
 * @param sendErrors  probes the kernel refused
 * @param repliesMatched replies accepted by a task
 * @param drops       replies dropped, by reason
 * @param kernelDrops frames the capture buffer lost
 * @param firstSendError the kernel's first refusal to send, null if none
 */
public record EngineStats(long probesSent, long sendErrors, long repliesMatched, Map<DropReason, Long> drops,
                          long kernelDrops, String firstSendError) {
    public EngineStats {
        drops = Map.copyOf(drops);
    }
}
