package net.tracemesh.collector.topology;

/** How a link of the topology graph was inferred. */
public enum LinkKind {
    /** Replies (or the agent) at consecutive TTLs of one flow. */
    DIRECT,
    /**
     * The last reply before one or more silent TTLs and the first reply after them, in one flow: the two are on one
     * path but not necessarily adjacent. The number of silent TTLs between them is the link's gap.
     */
    INDIRECT,
    /** A link to or from the placeholder of a silent TTL, at consecutive TTLs. */
    PLACEHOLDER
}
