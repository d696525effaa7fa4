package net.tracemesh.collector.assemble;

import java.time.Instant;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.StopReason;

/**
 * What a trace's completion message says about how the trace ran and ended. Every field is known once the
 * completion has arrived; an {@link AssembledTrace} without a completion has no ending at all.
 *
 * @param end          when the trace ended
 * @param firstTtl     first TTL probed
 * @param maxTtl       largest TTL the trace was allowed to probe
 * @param probesPerHop probes sent per TTL
 * @param probeSize    probe size in bytes (IP header included) at the end of the trace
 * @param stopReason   why the trace stopped
 * @param stopIcmpCode the unreachable code when {@code stopReason} is unreachable, else null
 * @param stopTtl      the TTL at which the trace stopped (the last TTL of the trace)
 * @param probesSent   probes sent in all
 * @param pathMtu      the path MTU found by path MTU discovery, else null
 * @param hopCount     how many hop messages the agent published for the trace
 */
public record TraceEnding(Instant end, int firstTtl, int maxTtl, int probesPerHop, int probeSize,
                          StopReason stopReason, Integer stopIcmpCode, int stopTtl, int probesSent, Integer pathMtu,
                          int hopCount) {
    public TraceEnding {
        if (end == null) {
            throw new IllegalArgumentException("end is missing");
        }
        if (stopReason == null) {
            throw new IllegalArgumentException("stop reason is missing");
        }
        if (firstTtl < 1 || stopTtl < firstTtl || maxTtl < stopTtl || maxTtl > 255) {
            throw new IllegalArgumentException("TTLs must satisfy 1 <= first_ttl <= stop_ttl <= max_ttl <= 255, got "
                    + firstTtl + ", " + stopTtl + ", " + maxTtl);
        }
        if (hopCount < 0) {
            throw new IllegalArgumentException("hop count must be >= 0, got " + hopCount);
        }
        if ((stopReason == StopReason.UNREACHABLE) != (stopIcmpCode != null)) {
            throw new IllegalArgumentException("stop icmp code is present exactly when the stop reason is unreachable");
        }
    }

    /** The ending a completion message announces. */
    public static TraceEnding of(TraceCompletionMessage m) {
        return new TraceEnding(m.end(), m.firstTtl(), m.maxTtl(), m.probesPerHop(), m.probeSize(), m.stopReason(),
                m.stopIcmpCode(), m.stopTtl(), m.probesSent(), m.pathMtu(), m.hopCount());
    }
}
