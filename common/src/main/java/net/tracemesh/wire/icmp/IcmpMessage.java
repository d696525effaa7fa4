package net.tracemesh.wire.icmp;

/** A decoded ICMP message; the record for each kind is listed in {@code permits}. */
public sealed interface IcmpMessage permits IcmpEcho, IcmpError, IcmpTimestamp, IcmpAddressMask, IcmpUnknown {

    /** The type, {@link IcmpType}. */
    int type();

    /** The code: see {@link UnreachableCode}, {@link TimeExceededCode}, {@link RedirectCode} and others. */
    int code();
}
