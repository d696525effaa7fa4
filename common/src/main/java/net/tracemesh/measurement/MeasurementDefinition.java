package net.tracemesh.measurement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A scheduled measurement (schema 1): what to probe, from which agents, how often. Built by
 * {@link MeasurementCodec} from the JSON on the {@code tracemesh.measurements} topic or from the agent's config
 * file, or directly; validated here, with messages that name the JSON field ({@code targets[2]: ...}).
 *
 * <p>The constructor applies the defaults: a null {@code jitter} becomes {@link #defaultJitter(Duration)}, and
 * the settings of the method's kind default to {@link TraceSettings#DEFAULTS} or {@link PingSettings#DEFAULTS}.
 * Afterwards exactly one of {@code trace} and {@code ping} is non-null.
 *
 * @param id          {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}; the topic key
 * @param description free text, or null
 * @param method      what to run
 * @param targets     dotted IPv4 addresses and prefixes with host bits zero, at least one; kept as given
 * @param interval    time between round starts, whole seconds, 1 s..7 days
 * @param jitter      random delay per round, whole seconds, 0..interval; null for the default
 * @param start       no rounds before this instant, or null
 * @param stop        no rounds at or after this instant (after {@code start}), or null
 * @param paused      no rounds while paused
 * @param agents      which agents run it
 * @param trace       trace settings, only for trace methods (null: the defaults)
 * @param ping        ping settings, only for ping (null: the defaults)
 */
public record MeasurementDefinition(String id, String description, MeasurementMethod method, List<String> targets,
                                    Duration interval, Duration jitter, Instant start, Instant stop, boolean paused,
                                    AgentSelector agents, TraceSettings trace, PingSettings ping) {
    /** What a measurement id looks like. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The longest interval: a week. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(7);
    /** The default jitter is a tenth of the interval, but never more than this. */
    public static final Duration MAX_DEFAULT_JITTER = Duration.ofSeconds(60);

    public MeasurementDefinition {
        if (id == null) {
            throw new IllegalArgumentException("id: is missing");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id + "' is not a measurement id (letters, digits, '.', '_',"
                    + " '-', at most 64, starting with a letter or digit)");
        }
        if (method == null) {
            throw new IllegalArgumentException("method: is missing");
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("targets: must name at least one address or prefix");
        }
        targets = Collections.unmodifiableList(new ArrayList<>(targets));
        for (int i = 0; i < targets.size(); i++) {
            try {
                Ipv4Prefix.parse(targets.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("targets[" + i + "]: " + e.getMessage());
            }
        }
        requireWholeSeconds("interval_s", interval);
        Ranges.require("interval_s", interval.getSeconds(), 1, MAX_INTERVAL.getSeconds());
        if (jitter == null) {
            jitter = defaultJitter(interval);
        }
        requireWholeSeconds("jitter_s", jitter);
        if (jitter.isNegative() || jitter.compareTo(interval) > 0) {
            throw new IllegalArgumentException("jitter_s: must be 0..interval_s (" + interval.getSeconds()
                    + "), got " + jitter.getSeconds());
        }
        if (start != null && stop != null && !stop.isAfter(start)) {
            throw new IllegalArgumentException("stop: " + stop + " is not after start " + start);
        }
        if (agents == null) {
            throw new IllegalArgumentException("agents: is missing");
        }
        if (method.isTrace()) {
            if (ping != null) {
                throw new IllegalArgumentException("ping: not allowed for method " + method.wireName()
                        + " (use trace)");
            }
            if (trace == null) {
                trace = TraceSettings.DEFAULTS;
            }
            if (trace.probeSize() != 0 && trace.probeSize() < method.minimumProbeSize()) {
                throw new IllegalArgumentException("trace.probe_size: " + trace.probeSize() + " is below the smallest "
                        + method.wireName() + " probe (" + method.minimumProbeSize() + " bytes)");
            }
        } else {
            if (trace != null) {
                throw new IllegalArgumentException("trace: not allowed for method " + method.wireName()
                        + " (use ping)");
            }
            if (ping == null) {
                ping = PingSettings.DEFAULTS;
            }
        }
    }

    /** {@code min(interval / 10, 60 s)} in whole seconds (rounded down). */
    public static Duration defaultJitter(Duration interval) {
        return Duration.ofSeconds(Math.min(interval.getSeconds() / 10, MAX_DEFAULT_JITTER.getSeconds()));
    }

    private static void requireWholeSeconds(String field, Duration d) {
        if (d == null) {
            throw new IllegalArgumentException(field + ": is missing");
        }
        if (d.getNano() != 0) {
            throw new IllegalArgumentException(field + ": must be a whole number of seconds, got " + d);
        }
    }

    /** The targets parsed, in the order given (a single address is a /32). */
    public List<Ipv4Prefix> targetPrefixes() {
        return targets.stream().map(Ipv4Prefix::parse).toList();
    }

    /**
     * The most probes one round can send to one target address: for traces every probe of every TTL with every
     * retry, for ping the count.
     */
    public long worstCaseProbesPerTarget() {
        return method.isTrace() ? trace.worstCaseProbesPerTarget() : ping.count();
    }
}
