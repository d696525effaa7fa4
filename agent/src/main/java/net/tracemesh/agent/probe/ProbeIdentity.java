package net.tracemesh.agent.probe;

/**
 * The single place where a probe's identity goes into header fields and comes back out of replies.
 *
 * <p>Every probe carries:
 * <ul>
 *   <li>a <b>tag</b> (16 bits) naming the measurement run: UDP and TCP source port, ICMP identifier;</li>
 *   <li>a <b>token</b> (16 bits) = TTL (8 bits) and slot (8 bits: probe index in the hop, 4 bits, and attempt,
 *       4 bits). Routers rewrite the TTL field, so the TTL travels in the token: in the IP ID for UDP and TCP,
 *       in the ICMP sequence for ICMP. For pings the token is the sequence number;</li>
 *   <li>a <b>check</b> (16 bits), a hash of (tag, destination, token, nonce of the trace): the forced UDP checksum,
 *       the IP ID of ICMP probes and the first data word of ICMP echoes, the low half of the TCP sequence.
 *       A reply whose check does not match was not caused by this probe (spoofed, stale from an earlier trace,
 *       or corrupted) and is dropped.</li>
 * </ul>
 * The destination comes back as the quoted IP destination (or the source of an echo reply / TCP reply).
 */
public final class ProbeIdentity {
    public static final int MAX_PROBE_INDEX = 15;
    public static final int MAX_ATTEMPT = 15;

    private ProbeIdentity() {
    }

    public static int token(int ttl, int probeIndex, int attempt) {
        if (ttl < 0 || ttl > 255 || probeIndex < 0 || probeIndex > MAX_PROBE_INDEX || attempt < 0
                || attempt > MAX_ATTEMPT) {
            throw new IllegalArgumentException("ttl/probe/attempt out of range: " + ttl + "/" + probeIndex + "/"
                    + attempt);
        }
        return (ttl << 8) | (probeIndex << 4) | attempt;
    }

    public static int ttl(int token) {
        return (token >>> 8) & 0xFF;
    }

    public static int probeIndex(int token) {
        return (token >>> 4) & 0xF;
    }

    public static int attempt(int token) {
        return token & 0xF;
    }

    /**
     * The 16-bit check of a probe, in 1..0xFFFE: never 0 (a zero UDP checksum means "none") and never 0xFFFF
     * (ones'-complement arithmetic cannot force a computed checksum to it).
     */
    public static int check(int tag, int destination, int token, int nonce) {
        int h = tag * 0x9E3779B1;
        h ^= destination * 0x85EBCA6B;
        h = Integer.rotateLeft(h, 13) ^ (token * 0xC2B2AE35);
        h ^= nonce * 0x27D4EB2F;
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        int folded = (h ^ (h >>> 16)) & 0xFFFF;
        return folded % 0xFFFE + 1;
    }

    /** The ICMP checksum an icmp-paris trace keeps for all of its probes (its flow identifier), in 1..0xFFFE. */
    public static int icmpFlowChecksum(int tag, int destination, int nonce) {
        return check(tag, destination, 0xFFFF, nonce ^ 0x5A5A);
    }

    /** The TCP sequence number of a probe: token in the high half, check in the low half. */
    public static long tcpSequence(int token, int check) {
        return (((long) token << 16) | check) & 0xFFFFFFFFL;
    }

    public static int tokenOfTcpSequence(long sequence) {
        return (int) ((sequence >>> 16) & 0xFFFF);
    }

    public static int checkOfTcpSequence(long sequence) {
        return (int) (sequence & 0xFFFF);
    }
}
