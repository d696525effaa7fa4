package net.tracemesh.record;

import java.util.List;

/**
 * One reply to one probe of a trace: the hop-record format of the platform.
 *
 * @param ttl      the probe's TTL (1..255)
 * @param addr     the address that answered
 * @param rttMs    round-trip time in milliseconds, from capture timestamps
 * @param icmpType ICMP type of the reply; absent for TCP replies
 * @param icmpCode ICMP code of the reply; absent for TCP replies
 * @param replyTtl the IP TTL of the reply packet as it arrived
 * @param probe    which probe of this TTL the reply answers (0-based)
 * @param mtu      next-hop MTU of a fragmentation-needed reply, else absent
 * @param mpls     MPLS label stack from an RFC 4950 extension, else absent
 * @param tcpFlags flags of a TCP reply ("SA", "RA"), else absent
 */
public record HopRecord(int ttl, String addr, double rttMs, Integer icmpType, Integer icmpCode, int replyTtl,
                        int probe, Integer mtu, List<MplsLabel> mpls, String tcpFlags) {
    public HopRecord {
        Fields.requireRange("ttl", ttl, 1, 255);
        Fields.requireAddress("addr", addr);
        Fields.requireNonNegative("rtt_ms", rttMs);
        Fields.requireRange("icmp_type", icmpType, 0, 255);
        Fields.requireRange("icmp_code", icmpCode, 0, 255);
        Fields.requireRange("reply_ttl", replyTtl, 0, 255);
        Fields.requireRange("probe", probe, 0, 255);
        Fields.requireRange("mtu", mtu, 68, 65535);
        if ((icmpType == null) == (tcpFlags == null)) {
            throw new IllegalArgumentException("a hop has either icmp_type or tcp_flags");
        }
        mpls = mpls == null || mpls.isEmpty() ? null : List.copyOf(mpls);
    }
}
