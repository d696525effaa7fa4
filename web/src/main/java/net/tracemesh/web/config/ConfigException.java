package net.tracemesh.web.config;

/**
 * The web's configuration cannot be used. The message is one line, fit to print after {@code "web: "}: where the
 * bad value came from (the file and the setting's dotted path, or the environment variable) and what is wrong.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
