package net.tracemesh.collector.daemon;

/** A mistake in the command line or the config file: printed as one line after "collector: ", exit status 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
