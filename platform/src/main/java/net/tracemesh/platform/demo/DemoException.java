package net.tracemesh.platform.demo;

/** The demo could not do something (a command failed, a part did not start); the message says what. */
final class DemoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoException(String message) {
        super(message);
    }

    DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
