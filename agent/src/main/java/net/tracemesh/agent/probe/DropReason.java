package net.tracemesh.agent.probe;

/** Why a captured packet was not taken as an answer to one of our probes. */
public enum DropReason {
    /** Not a valid packet (truncated, bad lengths, garbage). */
    MALFORMED,
    /** IP, ICMP or TCP checksum wrong. */
    BAD_CHECKSUM,
    /** An ICMP error whose quote is too short to recover the probe's identity. */
    SHORT_QUOTE,
    /** Valid, but carrying another measurement's tag or another source address. */
    FOREIGN,
    /** About a destination we have no trace or ping running for. */
    UNKNOWN_DESTINATION,
    /** Identity fields that do not match a probe we sent (spoofed or corrupted). */
    BAD_IDENTITY,
    /** For a probe whose hop or trace is already finished. */
    STALE,
    /** A second answer to the same probe. */
    DUPLICATE
}
