package net.tracemesh.agent.engine;

/**
 * Settings of one probing engine.
 *
 * @param probesPerSecond global rate limit for all probes of the engine, more than 0
 * @param maxActiveTasks  how many tasks (destinations) may be in flight at once
 * @param tag             measurement tag (16 bits) put in every probe; pick it at random per run
 */
public record EngineConfig(double probesPerSecond, int maxActiveTasks, int tag) {
    public EngineConfig {
        if (!(probesPerSecond > 0) || Double.isInfinite(probesPerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of probes per second, got "
                    + probesPerSecond);
        }
        if (maxActiveTasks < 1) {
            throw new IllegalArgumentException("max active tasks must be at least 1, got " + maxActiveTasks);
        }
        if (tag < 1024 || tag > 0xFFFF) {
            throw new IllegalArgumentException("tag must be in 1024..65535, got " + tag);
        }
    }
}
