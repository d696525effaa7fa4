package net.tracemesh.collector.topology;

/** The kinds of node in the topology graph. */
public enum NodeKind {
    /** An IPv4 address that answered probes (a router interface or a destination), or a traced destination. */
    ADDRESS,
    /** A vantage point: the agent that ran traces. */
    AGENT,
    /**
     * A placeholder for a TTL of one trace that no reply came from. It stands only for that TTL of that trace and is
     * never merged with anything else.
     */
    ANONYMOUS
}
