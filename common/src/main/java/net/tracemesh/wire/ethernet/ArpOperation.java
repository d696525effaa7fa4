package net.tracemesh.wire.ethernet;

/** ARP operation codes (RFC 826). */
public final class ArpOperation {
    /** Who has the target protocol address? */
    public static final int REQUEST = 1;
    /** The sender has the sender protocol address. */
    public static final int REPLY = 2;

    private ArpOperation() {
    }

    /** "request", "reply", or "operation N". */
    public static String name(int operation) {
        return switch (operation) {
            case REQUEST -> "request";
            case REPLY -> "reply";
            default -> "operation " + operation;
        };
    }
}
