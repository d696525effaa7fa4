package net.tracemesh.collector.assemble;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.HopRecord;

/**
 * Puts traces back together from their hop messages and completion messages, which may arrive in any order, late,
 * or more than once.
 *
 * <p>A trace opens with its first message and closes:
 * <ul>
 *   <li>as {@link Closure#COMPLETE} as soon as its completion and as many distinct hops as the completion announced
 *       ({@code hop_count}) are held — at once for a completion announcing 0 hops;</li>
 *   <li>as {@link Closure#TIMED_OUT} when {@link #expire} finds it open for the settings' timeout (measured from the
 *       time given with its first message): without a completion, or with a completion whose hops did not all
 *       come;</li>
 *   <li>as {@link Closure#EVICTED} when more traces than the limit would be open: the oldest goes first.</li>
 * </ul>
 *
 * <p>Duplicates: a hop message is a duplicate when a hop equal to its hop is already held under its record id; a
 * duplicate changes nothing. A <em>different</em> hop under a record id already held is kept as a distinct hop: the
 * agent gives the fragmentation-needed report of path MTU discovery and the reply to the re-sent probe the same
 * {@code trace_id/ttl/probe}, and counts both in {@code hop_count}. The keys of closed traces are remembered for the
 * settings' retention (and up to a count): later messages of those traces are dropped and counted as late.
 *
 * <p>Time: every call takes {@code now}, the caller's clock (the wall clock when live, or the record timestamps
 * when replaying a topic, which makes a replay close the same traces). A trace's opening time is the {@code now} of
 * its first message, and {@link #expire} closes the traces opened a timeout before the {@code now} it is given, so a
 * caller reading several partitions at different paces can expire at the time no partition is behind. The
 * assembler's clock (for closing times and for forgetting closed keys) is the latest {@code now} it was given, so it
 * never goes backwards; nothing here reads the system clock.
 *
 * <p>Memory is bounded by the settings: open traces, hops per open trace, and remembered closed keys. Not
 * thread-safe: one consumer thread owns an assembler.
 */
public final class TraceAssembler {
    private final AssemblerSettings settings;
    /** Open traces by key. */
    private final Map<TraceKey, OpenTrace> open = new HashMap<>();
    /** Open traces by opening time (then by order of opening): the order they expire and are evicted in. */
    private final TreeSet<OpenTrace> byOpening = new TreeSet<>(
            Comparator.comparing((OpenTrace t) -> t.openedAt).thenComparingLong(t -> t.sequence));
    private long openings;
    /** Keys of closed traces in the order they closed, with the time they closed. */
    private final LinkedHashMap<TraceKey, Instant> closed = new LinkedHashMap<>();
    private Instant clock = Instant.MIN;

    private long hopsAccepted;
    private long completionsAccepted;
    private long duplicates;
    private long lateAfterClose;
    private long rejected;
    private long overflow;
    private long tracesCompleted;
    private long tracesTimedOut;
    private long tracesEvicted;

    public TraceAssembler(AssemblerSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings are missing");
        }
        this.settings = settings;
    }

    public TraceAssembler() {
        this(AssemblerSettings.defaults());
    }

    /** Takes one hop message; the result names the traces it closed. */
    public Acceptance accept(HopMessage m, Instant now) {
        advance(now);
        HopRecord hop = m.hop();
        String expectedId = HopMessage.recordId(m.traceId(), hop.ttl(), hop.probe());
        if (!HopMessage.isRecordIdOf(m.recordId(), m.traceId(), hop.ttl(), hop.probe())) {
            return reject("record_id " + m.recordId() + " does not match its trace, ttl and probe (expected "
                    + expectedId + ")");
        }
        List<AssembledTrace> closedNow = new ArrayList<>(1);
        Admission admission = admit(new TraceKey(m.agentId(), m.traceId()), m.method(),
                method -> Envelope.of(m, method), now, closedNow);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        OpenTrace trace = admission.trace();
        Disposition d = trace.addHop(m.recordId(), hop, settings.maxHopsPerTrace());
        switch (d) {
            case DUPLICATE -> duplicates++;
            case OVERFLOW -> overflow++;
            default -> {
                hopsAccepted++;
                if (trace.allThere()) {
                    closedNow.add(close(trace, Closure.COMPLETE));
                }
            }
        }
        return new Acceptance(d, "", closedNow);
    }

    /**
     * The open trace a message of {@code key} joins (opened now if need be), or why the message goes no
     * further: its trace is already closed, its method is not a trace, or its envelope contradicts the trace's.
     */
    private Admission admit(TraceKey key, String methodName, Function<MeasurementMethod, Envelope> envelopeOf,
                            Instant now, List<AssembledTrace> closedNow) {
        if (closed.containsKey(key)) {
            lateAfterClose++;
            return new Admission(null, Acceptance.of(Disposition.LATE));
        }
        Optional<MeasurementMethod> method = traceMethod(methodName);
        if (method.isEmpty()) {
            return new Admission(null, reject("method \"" + methodName + "\" is not a trace method"));
        }
        Envelope envelope = envelopeOf.apply(method.get());
        OpenTrace trace = openTrace(key, envelope, now, closedNow);
        if (trace == null) {
            return new Admission(null, reject(open.get(key).envelope.difference(envelope)));
        }
        return new Admission(trace, null);
    }

    /** Either the open trace a message joins or the acceptance that ends its handling. */
    private record Admission(OpenTrace trace, Acceptance refusal) {
    }

    /** Takes one completion message; the result names the traces it closed. */
    public Acceptance accept(TraceCompletionMessage m, Instant now) {
        advance(now);
        String expectedId = TraceCompletionMessage.recordId(m.traceId());
        if (!expectedId.equals(m.recordId())) {
            return reject("record_id " + m.recordId() + " of a completion must be " + expectedId);
        }
        List<AssembledTrace> closedNow = new ArrayList<>(1);
        Admission admission = admit(new TraceKey(m.agentId(), m.traceId()), m.method(),
                method -> Envelope.of(m, method), now, closedNow);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        OpenTrace trace = admission.trace();
        if (trace.completion != null) {
            if (trace.completion.equals(m)) {
                duplicates++;
                return Acceptance.of(Disposition.DUPLICATE);
            }
            return reject("trace " + trace.key + " already has a different completion");
        }
        trace.completion = m;
        completionsAccepted++;
        if (trace.allThere()) {
            closedNow.add(close(trace, Closure.COMPLETE));
        }
        return new Acceptance(Disposition.ACCEPTED, "", closedNow);
    }

    /**
     * Closes the traces that have been open for the timeout at {@code now} (the oldest first), and forgets closed
     * keys older than the retention. Call it regularly, for example once a second and after each batch of records.
     */
    public List<AssembledTrace> expire(Instant now) {
        advance(now);
        List<AssembledTrace> out = new ArrayList<>();
        while (!byOpening.isEmpty()) {
            OpenTrace t = byOpening.first();
            if (now.isBefore(t.openedAt.plus(settings.openTimeout()))) {
                break;
            }
            out.add(close(t, Closure.TIMED_OUT));
        }
        return out;
    }

    public AssemblerStats stats() {
        return new AssemblerStats(hopsAccepted, completionsAccepted, duplicates, lateAfterClose, rejected, overflow,
                tracesCompleted, tracesTimedOut, tracesEvicted, open.size(), closed.size());
    }

    /** Number of traces open now. */
    public int openTraces() {
        return open.size();
    }

    /** When the oldest open trace opened (assembler time), if any is open. */
    public Optional<Instant> oldestOpenedAt() {
        return byOpening.isEmpty() ? Optional.empty() : Optional.of(byOpening.first().openedAt);
    }

    /** The assembler's clock: the latest {@code now} it was given. */
    public Instant clock() {
        return clock;
    }

    private static Optional<MeasurementMethod> traceMethod(String name) {
        return MeasurementMethod.fromWireName(name).filter(MeasurementMethod::isTrace);
    }

    private void advance(Instant now) {
        if (now == null) {
            throw new IllegalArgumentException("now is missing");
        }
        if (now.isAfter(clock)) {
            clock = now;
        }
        Iterator<Map.Entry<TraceKey, Instant>> it = closed.entrySet().iterator();
        while (it.hasNext()) {
            if (clock.isBefore(it.next().getValue().plus(settings.closedRetention()))) {
                break;
            }
            it.remove();
        }
    }

    private Acceptance reject(String reason) {
        rejected++;
        return Acceptance.rejected(reason);
    }

    /**
     * The open trace of {@code key}, opened now if need be (evicting the oldest when at the limit, into
     * {@code closedNow}); null when a trace is open under the key with a different envelope.
     */
    private OpenTrace openTrace(TraceKey key, Envelope envelope, Instant now, List<AssembledTrace> closedNow) {
        OpenTrace t = open.get(key);
        if (t != null) {
            return t.envelope.difference(envelope) == null ? t : null;
        }
        if (open.size() >= settings.maxOpenTraces()) {
            closedNow.add(close(byOpening.first(), Closure.EVICTED));
        }
        t = new OpenTrace(key, envelope, now, openings++);
        open.put(key, t);
        byOpening.add(t);
        return t;
    }

    private AssembledTrace close(OpenTrace t, Closure closure) {
        open.remove(t.key);
        byOpening.remove(t);
        return closed(t, closure);
    }

    /** Counts and remembers a trace already removed from the open ones, and builds its result. */
    private AssembledTrace closed(OpenTrace t, Closure closure) {
        switch (closure) {
            case COMPLETE -> tracesCompleted++;
            case TIMED_OUT -> tracesTimedOut++;
            case EVICTED -> tracesEvicted++;
        }
        if (settings.maxClosedRemembered() > 0) {
            closed.put(t.key, clock);
            if (closed.size() > settings.maxClosedRemembered()) {
                Iterator<TraceKey> it = closed.keySet().iterator();
                it.next();
                it.remove();
            }
        }
        Envelope e = t.envelope;
        return new AssembledTrace(e.agentId(), e.measurementId(), e.roundStart(), e.traceId(), e.method(), e.src(),
                e.dst(), e.sport(), e.dport(), e.start(),
                t.completion == null ? null : TraceEnding.of(t.completion), t.hops(), closure, clock);
    }

    /** A trace with at least one message held. */
    private static final class OpenTrace {
        final TraceKey key;
        final Envelope envelope;
        final Instant openedAt;
        final long sequence;
        /** The first hop held under each record id. */
        final Map<String, HopRecord> byId = new HashMap<>();
        /** Further hops held under a record id already in {@link #byId}, different from it (path MTU retries). */
        final List<HopRecord> sharedIds = new ArrayList<>(0);
        TraceCompletionMessage completion;

        OpenTrace(TraceKey key, Envelope envelope, Instant openedAt, long sequence) {
            this.key = key;
            this.envelope = envelope;
            this.openedAt = openedAt;
            this.sequence = sequence;
        }

        Disposition addHop(String recordId, HopRecord hop, int maxHops) {
            HopRecord first = byId.get(recordId);
            if (first != null && (first.equals(hop) || sharedIds.contains(hop))) {
                return Disposition.DUPLICATE;
            }
            if (size() >= maxHops) {
                return Disposition.OVERFLOW;
            }
            if (first == null) {
                byId.put(recordId, hop);
            } else {
                sharedIds.add(hop);
            }
            return Disposition.ACCEPTED;
        }

        int size() {
            return byId.size() + sharedIds.size();
        }

        boolean allThere() {
            return completion != null && size() >= completion.hopCount();
        }

        List<HopRecord> hops() {
            List<HopRecord> all = new ArrayList<>(size());
            all.addAll(byId.values());
            all.addAll(sharedIds);
            return all;
        }
    }
}
