package net.tracemesh.agent.config;

/**
 * The agent's configuration cannot be used. The message is one line fit to print after {@code "agent: "}: it
 * names the file, the setting's path ({@code kafka.sasl.username}) or environment variable, and what is wrong.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
