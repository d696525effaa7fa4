package net.tracemesh.agent.schedule;

import net.tracemesh.agent.ping.PingOptions;
import net.tracemesh.agent.probe.ProbeMethod;
import net.tracemesh.agent.trace.TraceOptions;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.measurement.PingSettings;
import net.tracemesh.measurement.TraceSettings;

/** Turns a measurement definition's settings into the probing engine's options. */
public final class MeasurementSettings {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private MeasurementSettings() {
    }

    /**
     * @throws IllegalArgumentException when the definition is not a trace or its settings do not make valid
     *                                  trace options
     */
    public static TraceOptions traceOptions(MeasurementDefinition d) {
        if (!d.method().isTrace()) {
            throw new IllegalArgumentException("measurement " + d.id() + " is not a trace");
        }
        ProbeMethod method = ProbeMethod.fromCliName(d.method().wireName());
        TraceSettings t = d.trace();
        int port = t.port() != null ? t.port() : method.defaultPort();
        return new TraceOptions(method, t.firstTtl(), t.maxTtl(), t.probesPerHop(), t.waitMs() * NANOS_PER_MILLI,
                port, t.parallelTtls(), t.gapLimit(), t.retries(), t.pathMtu(), t.probeSize());
    }

    /** @throws IllegalArgumentException when the definition is not a ping or its settings are not valid */
    public static PingOptions pingOptions(MeasurementDefinition d) {
        if (d.method().isTrace()) {
            throw new IllegalArgumentException("measurement " + d.id() + " is not a ping");
        }
        PingSettings p = d.ping();
        return new PingOptions(p.count(), p.intervalMs() * NANOS_PER_MILLI, p.size(), p.ttl(),
                p.waitMs() * NANOS_PER_MILLI, p.df());
    }

    /** Checks that the settings make valid options; returns null if they do, else why not. */
    public static String problem(MeasurementDefinition d) {
        try {
            if (d.method().isTrace()) {
                traceOptions(d);
            } else {
                pingOptions(d);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
