package net.tracemesh.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.query.TopologyQueries;

/**
 * Topology answers kept while the merged graph stays the same: a map opened again, by the same browser or another,
 * or reloaded on a live event, is answered from memory instead of reading the graph again (a map of thousands of
 * nodes reads hundreds of thousands of rows).
 *
 * <p><b>Freshness.</b> An answer is reused only while {@link TopologyQueries#lastMergedAt() the newest merged trace}
 * is the one it was read after, and for at most {@link Settings#maxAge()}: that bounds how long a trace merged late
 * with an older closing time (one a restarted collector read again) can go unseen. Every answer is read under the
 * newest merge time read just before it, so a trace merged during the reading makes the next request read again.
 *
 * <p><b>The whole map.</b> The map's default view (every agent, any time, no prefix) at any node limit below
 * {@link #WHOLE_MAP_LIMIT} is taken from one reading at that limit ({@link TopologyQueries#narrowed}; reading the
 * default view costs about the same at any limit): that reading is made at start by {@link #warm} and kept fresh by
 * {@link #refresh()}, so the map opens at whatever limit without reading the store.
 *
 * <p><b>Views in use stay ready.</b> {@link #refresh()} (called every few seconds by {@link TopologyRefresh}) reads
 * again, one at a time, the answers asked for within {@link Settings#hotWindow()} whose graph changed or that are
 * half their maximum age: a map that browsers keep open is then answered from memory even while traces are merged.
 * An answer is read again at most once per {@link Settings#refreshSpacing()} times its last reading's duration (and
 * at least once per half its maximum age), so a slow view (a prefix-filtered one over a large store) does not keep
 * the reading thread busy. Views taken from the whole map are taken from it again, not read.
 *
 * <p><b>Bounds.</b> At most {@link Settings#maxEntries()} answers and {@link Settings#maxElements()} nodes and links,
 * the least recently asked for dropped first; an answer larger than half of that is served but not kept. The JSON of
 * an answer is written when it is first sent. Requests for a view being read wait for that one reading.
 *
 * <p>Thread safety: every method may be called from any thread; {@link #get}, {@link #refresh} and {@link #warm}
 * block on the store and belong on a worker.
 */
public final class TopologyCache {
    /**
     * @param maxEntries     answers kept at most
     * @param maxElements    nodes and links kept at most, all answers together
     * @param maxAge         the longest an answer is reused
     * @param hotWindow      an answer asked for this recently is read again when its graph changes
     * @param refreshSpacing a refresh waits at least this many times the answer's last reading time
     */
    public record Settings(int maxEntries, long maxElements, Duration maxAge, Duration hotWindow,
                           int refreshSpacing) {
        public static final Settings DEFAULT = new Settings(16, 150_000, Duration.ofMinutes(5),
                Duration.ofMinutes(5), 10);

        public Settings {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries: at least 1, got " + maxEntries);
            }
            if (maxElements < 1) {
                throw new IllegalArgumentException("maxElements: at least 1, got " + maxElements);
            }
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge: must be positive, got " + maxAge);
            }
            if (hotWindow == null || hotWindow.isNegative()) {
                throw new IllegalArgumentException("hotWindow: must not be negative, got " + hotWindow);
            }
            if (refreshSpacing < 1) {
                throw new IllegalArgumentException("refreshSpacing: at least 1, got " + refreshSpacing);
            }
        }
    }

    /** One answer: the subgraph, the newest merge time read just before it, and its JSON. */
    public static final class Answer {
        private final Subgraph subgraph;
        private final Optional<Instant> mergedAt;
        private final ObjectMapper mapper;
        /** Written when first asked for (the whole map's reading is mostly narrowed, not sent). */
        private byte[] json;

        Answer(Subgraph subgraph, Optional<Instant> mergedAt, ObjectMapper mapper) {
            this.subgraph = subgraph;
            this.mergedAt = mergedAt;
            this.mapper = mapper;
        }

        public Subgraph subgraph() {
            return subgraph;
        }

        /** The newest merge time read just before the subgraph (empty for an empty store). */
        public Optional<Instant> mergedAt() {
            return mergedAt;
        }

        /** The subgraph's {@link TopologyView} as JSON. */
        public synchronized byte[] json() {
            if (json == null) {
                try {
                    json = mapper.writeValueAsBytes(TopologyView.of(subgraph));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("writing the topology as JSON failed: " + e.getMessage(), e);
                }
            }
            return json;
        }

        /** Its nodes and links, what the cache counts. */
        long elements() {
            return (long) subgraph.nodes().size() + subgraph.links().size();
        }
    }

    /**
     * Counts since start: answers served from memory, taken from the whole map's reading, read for a request or
     * ahead of one ({@link #warm}, {@link #refresh}), and read ahead.
     */
    public record Stats(long hits, long narrowed, long reads, long refreshes) {
    }

    /** The node limit of the reading of the whole map that smaller default views are taken from. */
    public static final int WHOLE_MAP_LIMIT = SubgraphFilter.DEFAULT_NODE_LIMIT;

    private static final class Entry {
        final Answer answer;
        final long readAtNanos;
        final long readTookNanos;
        /** Taken from the whole map's reading: taken again from it, never read again by {@link #refresh}. */
        final boolean narrowed;
        volatile long askedAtNanos;

        Entry(Answer answer, long readAtNanos, long readTookNanos, boolean narrowed, long askedAtNanos) {
            this.answer = answer;
            this.readAtNanos = readAtNanos;
            this.readTookNanos = readTookNanos;
            this.narrowed = narrowed;
            this.askedAtNanos = askedAtNanos;
        }
    }

    private final TopologyQueries queries;
    private final ObjectMapper mapper;
    private final Settings settings;
    private final LongSupplier nanoClock;
    /** Least recently asked for first; guarded by itself. */
    private final LinkedHashMap<SubgraphFilter, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Nodes and links of the kept answers; guarded by {@link #entries}. */
    private long elements;
    /** The readings under way, one per view. */
    private final Map<SubgraphFilter, CompletableFuture<Entry>> reading = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong narrowed = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();

    public TopologyCache(TopologyQueries queries, ObjectMapper mapper, Settings settings) {
        this(queries, mapper, settings, System::nanoTime);
    }

    /** With a clock of nanoseconds ({@link System#nanoTime()} outside tests). */
    TopologyCache(TopologyQueries queries, ObjectMapper mapper, Settings settings, LongSupplier nanoClock) {
        if (queries == null || mapper == null || settings == null || nanoClock == null) {
            throw new IllegalArgumentException("the queries, the JSON mapper, the settings and the clock are required");
        }
        this.queries = queries;
        this.mapper = mapper;
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    /** The reading of the whole map that smaller default views are taken from. */
    public static SubgraphFilter wholeMap() {
        return new SubgraphFilter(Set.of(), null, null, null, WHOLE_MAP_LIMIT);
    }

    /**
     * The answer for {@code filter}: from memory while the graph is unchanged (or taken from the whole map's
     * fresh reading), else read now. Blocking.
     */
    public Answer get(SubgraphFilter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("the subgraph filter is missing");
        }
        Optional<Instant> mergedAt = queries.lastMergedAt();
        long now = nanoClock.getAsLong();
        Entry e = entry(filter);
        if (fresh(e, mergedAt, now)) {
            e.askedAtNanos = now;
            hits.incrementAndGet();
            return e.answer;
        }
        if (filter.wholeGraph() && filter.nodeLimit() < WHOLE_MAP_LIMIT) {
            Entry whole = entry(wholeMap());
            if (!fresh(whole, mergedAt, now)) {
                whole = read(wholeMap(), now);
            }
            whole.askedAtNanos = now;
            Optional<Subgraph> view = TopologyQueries.narrowed(whole.answer.subgraph(), filter.nodeLimit());
            if (view.isPresent()) {
                Entry taken = new Entry(new Answer(view.get(), whole.answer.mergedAt(), mapper), whole.readAtNanos,
                        0, true, now);
                keep(filter, taken);
                narrowed.incrementAndGet();
                return taken.answer;
            }
        }
        Entry read = read(filter, now);
        read.askedAtNanos = now;
        return read.answer;
    }

    /** Reads {@code filter}'s answer now unless a fresh one is kept, so that the first request finds it. Blocking. */
    public void warm(SubgraphFilter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("the subgraph filter is missing");
        }
        if (!fresh(entry(filter), queries.lastMergedAt(), nanoClock.getAsLong())) {
            read(filter, nanoClock.getAsLong());
            refreshes.incrementAndGet();
        }
    }

    /**
     * Reads again, one after the other, the answers asked for within the hot window that are no longer fresh and
     * whose last reading is long enough ago. Blocking.
     *
     * @return how many answers were read
     */
    public int refresh() {
        Optional<Instant> mergedAt = queries.lastMergedAt();
        long now = nanoClock.getAsLong();
        List<Map.Entry<SubgraphFilter, Entry>> due = new ArrayList<>();
        synchronized (entries) {
            for (Map.Entry<SubgraphFilter, Entry> e : entries.entrySet()) {
                Entry x = e.getValue();
                boolean hot = now - x.askedAtNanos <= settings.hotWindow().toNanos();
                boolean spaced = now - x.readAtNanos >= Math.min(x.readTookNanos * settings.refreshSpacing(),
                        settings.maxAge().toNanos() / 2);
                boolean aging = now - x.readAtNanos >= settings.maxAge().toNanos() / 2;
                boolean changed = !x.answer.mergedAt().equals(mergedAt);
                if (!x.narrowed && hot && spaced && (changed || aging)) {
                    due.add(Map.entry(e.getKey(), x));
                }
            }
        }
        int done = 0;
        for (Map.Entry<SubgraphFilter, Entry> d : due) {
            if (entry(d.getKey()) == d.getValue()) {
                // read ahead, not asked for: the view stays in use only as long as it is asked for
                read(d.getKey(), d.getValue().askedAtNanos);
                refreshes.incrementAndGet();
                done++;
            }
        }
        return done;
    }

    public Stats stats() {
        return new Stats(hits.get(), narrowed.get(), reads.get(), refreshes.get());
    }

    /** How many answers are kept now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private boolean fresh(Entry e, Optional<Instant> mergedAt, long now) {
        return e != null && e.answer.mergedAt().equals(mergedAt)
                && now - e.readAtNanos < settings.maxAge().toNanos();
    }

    /** The kept answer for {@code filter} (looking it up counts as a use, for the order of dropping). */
    private Entry entry(SubgraphFilter filter) {
        synchronized (entries) {
            return entries.get(filter);
        }
    }

    /** Reads the answer, or waits for the reading already under way for the same view. */
    private Entry read(SubgraphFilter filter, long askedAt) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> under = reading.putIfAbsent(filter, mine);
        if (under != null) {
            try {
                return under.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Optional<Instant> mergedAt = queries.lastMergedAt();
            long started = nanoClock.getAsLong();
            Subgraph subgraph = queries.subgraph(filter);
            long done = nanoClock.getAsLong();
            Entry e = new Entry(new Answer(subgraph, mergedAt, mapper), started, done - started, false, askedAt);
            reads.incrementAndGet();
            keep(filter, e);
            mine.complete(e);
            return e;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            reading.remove(filter, mine);
        }
    }

    private void keep(SubgraphFilter filter, Entry e) {
        long size = e.answer.elements();
        synchronized (entries) {
            Entry old = entries.remove(filter);
            if (old != null) {
                elements -= old.answer.elements();
            }
            if (size > settings.maxElements() / 2) {
                return;
            }
            entries.put(filter, e);
            elements += size;
            var oldest = entries.entrySet().iterator();
            while ((entries.size() > settings.maxEntries() || elements > settings.maxElements()) && oldest.hasNext()) {
                Entry dropped = oldest.next().getValue();
                oldest.remove();
                elements -= dropped.answer.elements();
            }
        }
    }
}
