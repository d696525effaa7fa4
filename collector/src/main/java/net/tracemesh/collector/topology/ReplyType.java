package net.tracemesh.collector.topology;

import net.tracemesh.record.HopRecord;

/**
 * The kind of a reply: an ICMP type and code, or the flags of a TCP reply.
 *
 * @param icmpType ICMP type, absent for TCP replies
 * @param icmpCode ICMP code, absent for TCP replies
 * @param tcpFlags flags of a TCP reply ("SA", "RA"), absent for ICMP replies
 */
public record ReplyType(Integer icmpType, Integer icmpCode, String tcpFlags) implements Comparable<ReplyType> {
    public ReplyType {
        if ((icmpType == null) != (icmpCode == null)) {
            throw new IllegalArgumentException("icmp type and code go together");
        }
        if ((icmpType == null) == (tcpFlags == null)) {
            throw new IllegalArgumentException("a reply type is either ICMP type/code or TCP flags");
        }
    }

    public static ReplyType of(HopRecord hop) {
        return new ReplyType(hop.icmpType(), hop.icmpCode(), hop.tcpFlags());
    }

    public static ReplyType icmp(int type, int code) {
        return new ReplyType(type, code, null);
    }

    public static ReplyType tcp(String flags) {
        return new ReplyType(null, null, flags);
    }

    /** {@code icmp 11/0} or {@code tcp SA}: a compact form for storage. */
    public String label() {
        return icmpType != null ? "icmp " + icmpType + "/" + icmpCode : "tcp " + tcpFlags;
    }

    /** The reply type of a {@link #label()}. */
    public static ReplyType parse(String label) {
        if (label != null && label.startsWith("icmp ")) {
            String[] tc = label.substring(5).split("/", -1);
            if (tc.length == 2) {
                try {
                    return icmp(Integer.parseInt(tc[0]), Integer.parseInt(tc[1]));
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
        } else if (label != null && label.startsWith("tcp ") && label.length() > 4) {
            return tcp(label.substring(4));
        }
        throw new IllegalArgumentException("not a reply type (expected \"icmp T/C\" or \"tcp FLAGS\"): " + label);
    }

    /** ICMP before TCP; ICMP by type, then code; TCP by flags. */
    @Override
    public int compareTo(ReplyType o) {
        if ((icmpType == null) != (o.icmpType == null)) {
            return icmpType != null ? -1 : 1;
        }
        if (icmpType != null) {
            int c = Integer.compare(icmpType, o.icmpType);
            return c != 0 ? c : Integer.compare(icmpCode, o.icmpCode);
        }
        return tcpFlags.compareTo(o.tcpFlags);
    }

    @Override
    public String toString() {
        return label();
    }
}
