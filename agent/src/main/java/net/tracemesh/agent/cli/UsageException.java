package net.tracemesh.agent.cli;

/** A mistake of the user's: printed as one line, exit status 2, no stack trace. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
