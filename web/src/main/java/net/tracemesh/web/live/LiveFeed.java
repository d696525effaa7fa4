package net.tracemesh.web.live;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import net.tracemesh.web.agents.AgentDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changes while a browser watches: traces merged into the store, route changes, agents going online or
 * offline. While at least one subscriber is connected, the feed polls the store once per poll interval for all of
 * them (on a worker, never on the event loop; a poll still running makes the next one skip) and compares the
 * agent counts; with no subscriber it does not poll at all. The store cursors start at the store's state when the
 * first subscriber arrives; every subscriber first gets an {@code agents} event with the counts now.
 *
 * <p>A trace whose closing time (or a route change whose time) is not after what the feed has seen is not
 * reported: traces committed late with an earlier closing time are missed by the live counters, not by the store.
 *
 * <p>Thread safety: subscribers may come and go from any context; each one's events arrive on its own context.
 */
public final class LiveFeed {
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    private final Vertx vertx;
    private final Context context;
    private final StorePoller store;
    private final AgentDirectory agents;
    private final Duration poll;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicInteger subscriberCount = new AtomicInteger();
    /** On the context from here on. */
    private final Map<Long, Subscriber> subscribers = new LinkedHashMap<>();
    private final List<Subscriber> awaitingFirst = new ArrayList<>();
    private long nextId;
    private long timer = -1;
    private boolean polling;
    private StorePoller.Cursor cursor;
    private LiveEvent.Agents lastAgents;
    private boolean closed;

    /** A subscription; cancel it when the client goes away. */
    public interface Subscription {
        void cancel();
    }

    private record Subscriber(long id, Context context, Handler<LiveEvent> handler) {
        void send(LiveEvent e) {
            context.runOnContext(v -> handler.handle(e));
        }
    }

    /**
     * @param readPool the store's read-only connection pool
     * @param poll     time between polls of the store
     */
    public LiveFeed(Vertx vertx, DataSource readPool, AgentDirectory agents, Duration poll) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = new StorePoller(Objects.requireNonNull(readPool, "readPool"));
        this.agents = Objects.requireNonNull(agents, "agents");
        if (poll == null || poll.toMillis() < 1) {
            throw new IllegalArgumentException("poll: must be at least 1 ms, got " + poll);
        }
        this.poll = poll;
        this.context = vertx.getOrCreateContext();
    }

    /**
     * Sends every future event to {@code handler}, on the caller's context (or on the feed's, called from
     * outside Vert.x).
     */
    public Subscription subscribe(Handler<LiveEvent> handler) {
        Context caller = Vertx.currentContext();
        Subscriber s;
        synchronized (this) {
            s = new Subscriber(nextId++, caller == null ? context : caller, handler);
        }
        context.runOnContext(v -> add(s));
        return () -> context.runOnContext(v -> remove(s));
    }

    /** How many store polls have run; for health and tests. */
    public long polls() {
        return polls.get();
    }

    /** How many subscribers are connected. */
    public int subscriberCount() {
        return subscriberCount.get();
    }

    /** Stops polling and forgets the subscribers. */
    public void close() {
        context.runOnContext(v -> {
            closed = true;
            subscribers.clear();
            awaitingFirst.clear();
            subscriberCount.set(0);
            stop();
        });
    }

    private void add(Subscriber s) {
        if (closed) {
            return;
        }
        subscribers.put(s.id(), s);
        subscriberCount.set(subscribers.size());
        if (cursor != null) {
            s.send(agentsNow());
        } else {
            awaitingFirst.add(s);
        }
        if (timer < 0) {
            timer = vertx.setPeriodic(1, poll.toMillis(), t -> tick());
        }
    }

    private void remove(Subscriber s) {
        subscribers.remove(s.id());
        subscriberCount.set(subscribers.size());
        awaitingFirst.remove(s);
        if (subscribers.isEmpty()) {
            stop();
        }
    }

    private void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        cursor = null;
        lastAgents = null;
    }

    private LiveEvent agentsNow() {
        lastAgents = new LiveEvent.Agents(agents.onlineCount(), agents.total());
        return new LiveEvent(LiveEvent.AGENTS, lastAgents);
    }

    private void tick() {
        if (subscribers.isEmpty()) {
            return;
        }
        LiveEvent.Agents counts = new LiveEvent.Agents(agents.onlineCount(), agents.total());
        if (cursor != null && !counts.equals(lastAgents)) {
            lastAgents = counts;
            broadcast(new LiveEvent(LiveEvent.AGENTS, counts));
        }
        if (polling) {
            return;
        }
        polling = true;
        polls.incrementAndGet();
        StorePoller.Cursor from = cursor;
        if (from == null) {
            vertx.executeBlocking(store::now).onComplete(ar -> {
                polling = false;
                if (ar.failed()) {
                    LOG.warn("live feed: reading the store failed: {}", ar.cause().toString());
                }
                if (subscribers.isEmpty()) {
                    return;
                }
                cursor = ar.succeeded() ? ar.result() : null;
                if (cursor != null || ar.failed()) {
                    LiveEvent now = agentsNow();
                    awaitingFirst.forEach(s -> s.send(now));
                    awaitingFirst.clear();
                }
            });
            return;
        }
        vertx.executeBlocking(() -> store.since(from)).onComplete(ar -> {
            polling = false;
            if (ar.failed()) {
                LOG.warn("live feed: polling the store failed: {}", ar.cause().toString());
                return;
            }
            if (subscribers.isEmpty() || cursor != from) {
                return;
            }
            StorePoller.News news = ar.result();
            cursor = news.next();
            if (news.merged() > 0) {
                broadcast(LiveEvent.traces(news.merged(), news.latestClosed()));
            }
            news.changes().forEach(c -> broadcast(LiveEvent.routeChange(c)));
        });
    }

    private void broadcast(LiveEvent e) {
        subscribers.values().forEach(s -> s.send(e));
    }
}
