package net.tracemesh.agent.lab;

/** An {@code ip}, {@code sysctl}, {@code iptables} or other lab command failed or could not be run. */
public final class LabCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CommandResult result;

    LabCommandException(CommandResult result) {
        super("lab command failed (exit " + result.exitCode() + "): " + result.commandLine()
                + ": " + firstNonBlank(result.stderr(), result.stdout(), "(no output)").strip());
        this.result = result;
    }

    LabCommandException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    /** The failed command's result, or null when the command could not be started at all. */
    public CommandResult result() {
        return result;
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return "";
    }
}
