package net.tracemesh.collector.assemble;

/** What a {@link TraceAssembler} did with one message. */
public enum Disposition {
    /** New information: held in its open trace (which may have closed because of it). */
    ACCEPTED,
    /** The same hop or completion was already held: nothing changed. */
    DUPLICATE,
    /** The message belongs to a trace closed recently: dropped, nothing changed. */
    LATE,
    /**
     * The message contradicts its trace (different agent, measurement, method, addresses, ports or start than the
     * trace's first message; a record id that is not {@code trace_id/ttl/probe} or {@code trace_id/end}; a second,
     * different completion; a method that is not a trace method): dropped, with a reason for the dead-letter topic.
     */
    REJECTED,
    /** The trace already holds the maximum number of hops: dropped. */
    OVERFLOW
}
