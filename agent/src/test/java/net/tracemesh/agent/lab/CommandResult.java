package net.tracemesh.agent.lab;

import java.util.List;

/** What a finished external command left behind: its exit status and everything it printed. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result, or throws {@link LabCommandException} carrying the command's stderr. */
    public CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new LabCommandException(this);
        }
        return this;
    }

    /** The command as one shell-like line, for messages. */
    public String commandLine() {
        return String.join(" ", command);
    }
}
