package net.tracemesh.agent.schedule;

/**
 * How a round went.
 *
 * @param completed tasks that produced a result
 * @param failed    tasks that could not run (no route, for example)
 */
public record RoundOutcome(int completed, int failed) {
}
