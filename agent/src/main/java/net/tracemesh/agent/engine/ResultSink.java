package net.tracemesh.agent.engine;

/** Where a task delivers its result; called on the prober thread, so implementations hand off quickly. */
public interface ResultSink<T> {
    void accept(T result);

    /** The task toward {@code destination} could not run at all (no route, for example). */
    void failed(int destination, String reason);
}
