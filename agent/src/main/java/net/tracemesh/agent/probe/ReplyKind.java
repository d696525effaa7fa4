package net.tracemesh.agent.probe;

/** What kind of packet answered a probe. */
public enum ReplyKind {
    /** An ICMP error (time exceeded, destination unreachable, ...) quoting the probe. */
    ICMP_ERROR,
    /** An ICMP echo reply from the destination. */
    ECHO_REPLY,
    /** A TCP SYN-ACK or RST from the destination. */
    TCP
}
