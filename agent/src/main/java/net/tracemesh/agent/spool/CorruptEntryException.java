package net.tracemesh.agent.spool;

/** A frame whose CRC matched but whose contents cannot be an entry the spool wrote. */
final class CorruptEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptEntryException(String message) {
        super(message);
    }
}
