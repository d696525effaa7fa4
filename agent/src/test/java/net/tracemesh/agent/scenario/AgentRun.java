package net.tracemesh.agent.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** One finished agent process: exit status, output, and its JSON lines parsed. */
record AgentRun(List<String> arguments, int exitCode, String stdout, String stderr) {
    private static final ObjectMapper JSON = new ObjectMapper();

    AgentRun {
        arguments = List.copyOf(arguments);
    }

    /** Non-empty stdout lines. */
    List<String> stdoutLines() {
        return stdout.lines().filter(line -> !line.isBlank()).toList();
    }

    /** Non-empty stderr lines. */
    List<String> stderrLines() {
        return stderr.lines().filter(line -> !line.isBlank()).toList();
    }

    /** Every stdout line parsed as one JSON object; a line that is not JSON fails with the whole output. */
    List<JsonNode> jsonLines() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : stdoutLines()) {
            try {
                nodes.add(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                throw new AssertionError("stdout line is not JSON: " + line + "\n" + describe(), e);
            }
        }
        return nodes;
    }

    /** The trace records of a {@code trace --json} run, in output order. */
    List<TraceJson> traces() {
        return jsonLines().stream().map(TraceJson::new).toList();
    }

    /** The single trace record of a one-target {@code trace --json} run. */
    TraceJson singleTrace() {
        List<TraceJson> traces = traces();
        if (traces.size() != 1) {
            throw new AssertionError("expected exactly one trace line, got " + traces.size() + "\n" + describe());
        }
        return traces.get(0);
    }

    /** The single record of a {@code ping --json} run. */
    JsonNode singlePing() {
        List<JsonNode> nodes = jsonLines();
        if (nodes.size() != 1) {
            throw new AssertionError("expected exactly one ping line, got " + nodes.size() + "\n" + describe());
        }
        return nodes.get(0);
    }

    /** Command, exit status, stdout and stderr, for assertion messages. */
    String describe() {
        return "agent " + String.join(" ", arguments) + "\n  exit " + exitCode + "\n  stdout:\n" + indent(stdout)
                + "  stderr:\n" + indent(stderr);
    }

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(line -> out.append("    ").append(line).append('\n'));
        return out.toString();
    }
}
