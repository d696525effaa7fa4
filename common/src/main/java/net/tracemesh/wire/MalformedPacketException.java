package net.tracemesh.wire;

import java.util.Objects;

/**
 * Thrown by every decoder when bytes are not a valid packet of the expected kind. It is the only exception a
 * decoder lets escape, whatever the input: truncated, corrupted, oversized or random bytes, and offsets or lengths
 * outside the buffer. It carries no stack trace because it is thrown on the capture hot path.
 */
public final class MalformedPacketException extends RuntimeException {

    /** Why the bytes were rejected. */
    public enum Reason {
        /** Fewer bytes than the format (or one of its length fields) requires, or a range outside the buffer. */
        TRUNCATED,
        /** A checksum that does not verify. */
        BAD_CHECKSUM,
        /** A version field with an unsupported value. */
        BAD_VERSION,
        /** A header length field below the format's minimum. */
        BAD_HEADER_LENGTH,
        /** A total length field that cannot be right (for instance shorter than the header). */
        BAD_TOTAL_LENGTH,
        /** More bytes than the format can describe. */
        OVERSIZED,
        /** Any other field with a value the format does not allow. */
        BAD_FIELD
    }

    private final Reason reason;

    /**
     * @param reason why the bytes were rejected
     * @param detail what was wrong, for humans; keep it a constant on hot paths
     */
    public MalformedPacketException(Reason reason, String detail) {
        super("not a valid packet: " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the bytes were rejected. */
    public Reason reason() {
        return reason;
    }
}
