package net.tracemesh.agent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import net.tracemesh.agent.config.DefinitionsConfig;
import net.tracemesh.agent.publish.MessageSink;
import net.tracemesh.agent.publish.Outgoing;
import net.tracemesh.measurement.DefinitionVerifier;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the definitions topic and the scheduler: a record reaches the scheduler only when
 * {@link DefinitionVerifier} accepts it (signed by the central key, not a replay; see {@link DefinitionsConfig}).
 * Every other record is ignored, counted ({@link #unverified()}), logged at WARN and reported on the errors topic as
 * {@value #KIND}. Logging and reporting are limited to {@value #REPORTS_PER_WINDOW} records a minute, so a flood of
 * forged records cannot make the agent flood the log or the errors topic; the next report says how many were left
 * out meanwhile.
 *
 * <p>Not thread-safe: records arrive in topic order on the definitions verticle's context.
 */
public final class DefinitionGate {
    /** The error kind of an ignored definition. */
    public static final String KIND = "unverified_definition";
    static final int REPORTS_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(DefinitionGate.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_KEY_SHOWN = 80;

    private final DefinitionVerifier verifier;
    private final AgentIdentity identity;
    private final MessageSink sink;
    private final BiConsumer<String, byte[]> downstream;
    private final Supplier<Instant> clock;
    private final AtomicLong unverified = new AtomicLong();
    private long errorIds;
    private Instant windowStart;
    private int reportsInWindow;
    private long leftOut;

    /**
     * @param config     the trusted key and whether unsigned records are accepted
     * @param sink       where error messages go
     * @param downstream gets each accepted record's key and value (null for a deletion): the scheduler
     * @param clock      the time of reports and of the rate limit's windows
     */
    public DefinitionGate(DefinitionsConfig config, AgentIdentity identity, MessageSink sink,
                          BiConsumer<String, byte[]> downstream, Supplier<Instant> clock) {
        this.verifier = config.newVerifier();
        this.identity = identity;
        this.sink = sink;
        this.downstream = downstream;
        this.clock = clock;
    }

    /** Records ignored because they could not be verified (thread-safe). */
    public long unverified() {
        return unverified.get();
    }

    /**
     * One record from the topic.
     *
     * @param header the record's header values by name, null for an absent header
     */
    public void record(String key, byte[] value, Function<String, byte[]> header) {
        DefinitionVerifier.Verdict verdict = verifier.check(key, value, header);
        if (verdict.accepted()) {
            downstream.accept(key, value);
            return;
        }
        unverified.incrementAndGet();
        String what = (value == null || value.length == 0 ? "deletion of measurement " : "measurement definition ")
                + (key == null ? "(no key)" : "'" + shown(key) + "'");
        report(key, what + " ignored: " + verdict.reason());
    }

    private void report(String key, String message) {
        Instant now = clock.get();
        if (windowStart == null || !now.isBefore(windowStart.plus(WINDOW))) {
            windowStart = now;
            reportsInWindow = 0;
        }
        if (reportsInWindow >= REPORTS_PER_WINDOW) {
            if (leftOut++ == 0) {
                LOG.warn("more than {} unverified measurement definitions within {} s: the next are counted, not"
                        + " reported", REPORTS_PER_WINDOW, WINDOW.toSeconds());
            }
            return;
        }
        reportsInWindow++;
        String full = leftOut == 0 ? message : message + " (" + leftOut + " more unverified definitions were not"
                + " reported before this one)";
        leftOut = 0;
        LOG.warn(full);
        AgentErrorMessage m = new AgentErrorMessage(AgentErrorMessage.TYPE, MessageJson.SCHEMA_VERSION,
                identity.runNonce() + "-u" + Long.toHexString(++errorIds), identity.id(), now, KIND,
                key != null && ID.matcher(key).matches() ? key : null, null, full);
        sink.publish(new Outgoing(Topics.ERRORS, identity.id(), m, 0));
    }

    private static String shown(String key) {
        String cut = key.length() > MAX_KEY_SHOWN ? key.substring(0, MAX_KEY_SHOWN) + "..." : key;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
