package net.tracemesh.agent.probe;

import java.util.List;
import net.tracemesh.wire.icmp.MplsLabelStackEntry;

/**
 * A captured packet that may answer one of our probes, with the probe's identity fields recovered from it.
 * Whether it really answers one is decided by the task that owns {@link #probeDestination()}.
 *
 * @param timestampMicros  capture time (kernel), microseconds since the epoch
 * @param responder        source address of the reply
 * @param replyTtl         IP TTL of the reply as it arrived
 * @param kind             ICMP error, echo reply or TCP
 * @param icmpType         ICMP type, -1 for TCP
 * @param icmpCode         ICMP code, -1 for TCP
 * @param mtu              next-hop MTU of a fragmentation-needed error, else 0
 * @param mpls             MPLS label stack from an ICMP extension, empty if none
 * @param tcpFlags         TCP flags of a TCP reply, else 0
 * @param probeSource      source address of the probe (quoted, or the reply's destination)
 * @param probeDestination destination of the probe
 * @param probeProtocol    IP protocol of the probe
 * @param tag              the measurement tag (UDP/TCP source port, ICMP identifier)
 * @param token            TTL and slot, or the ping sequence
 * @param check            the probe's check as it came back, -1 when the reply does not carry it
 * @param flow             UDP/TCP destination port or ICMP checksum of the probe, -1 when not carried
 * @param probeLength      IP total length of the probe as quoted by an ICMP error, -1 for other replies
 */
public record Reply(long timestampMicros, int responder, int replyTtl, ReplyKind kind, int icmpType, int icmpCode,
                    int mtu, List<MplsLabelStackEntry> mpls, int tcpFlags, int probeSource, int probeDestination,
                    int probeProtocol, int tag, int token, int check, int flow, int probeLength) {
    public Reply {
        mpls = List.copyOf(mpls);
    }

    /** The same reply with another token and check (the identity a task recovered from it). */
    public Reply withIdentity(int newToken, int newCheck) {
        return new Reply(timestampMicros, responder, replyTtl, kind, icmpType, icmpCode, mtu, mpls, tcpFlags,
                probeSource, probeDestination, probeProtocol, tag, newToken, newCheck, flow, probeLength);
    }
}
