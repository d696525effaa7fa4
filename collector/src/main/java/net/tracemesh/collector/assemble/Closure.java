package net.tracemesh.collector.assemble;

/** Why an {@link AssembledTrace} was closed. */
public enum Closure {
    /** The completion arrived and with it every hop it announced. */
    COMPLETE,
    /**
     * The trace was open for the assembler's timeout: either no completion arrived (the hops are all that is known),
     * or the completion announced hops that never all came.
     */
    TIMED_OUT,
    /** The trace was closed before its timeout because too many traces were open at once. */
    EVICTED
}
