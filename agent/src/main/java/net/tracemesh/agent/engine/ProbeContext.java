package net.tracemesh.agent.engine;

/** What a task may ask of the engine, from its callbacks. */
public interface ProbeContext {
    /** Queues probe {@code token} of the task for sending, after probes already queued, under the rate limit. */
    void send(ProbeTask task, int token);

    /** Calls {@code action} on the prober thread after {@code delayNanos}. */
    void schedule(long delayNanos, Runnable action);
}
