package net.tracemesh.agent.engine;

import java.util.ArrayList;
import java.util.List;

/** A result sink that keeps what it is given. */
public final class RecordingSink<T> implements ResultSink<T> {
    /** A task that could not run. */
    public record Failure(int destination, String reason) {
    }

    private final List<T> results = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    @Override
    public synchronized void accept(T result) {
        results.add(result);
    }

    @Override
    public synchronized void failed(int destination, String reason) {
        failures.add(new Failure(destination, reason));
    }

    public synchronized List<T> results() {
        return List.copyOf(results);
    }

    public synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** The one result delivered; fails if there is none or more than one. */
    public synchronized T only() {
        if (results.size() != 1) {
            throw new AssertionError("expected one result, got " + results.size() + ": " + results);
        }
        return results.get(0);
    }
}
