package net.tracemesh.web.agents;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.InvalidMessageException;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.web.config.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents known from the heartbeats topic: the latest heartbeat of every agent that ever sent one (the topic is
 * read from the beginning at every start), and whether each is online, that is whether its latest heartbeat is at
 * most {@code offlineAfter} old. Messages that are not valid heartbeats are counted and skipped.
 *
 * <p>Thread safety: read from any thread; updated on the context it was created on.
 */
public final class AgentDirectory {
    /** An agent whose latest heartbeat is older than this is offline (three missed 30 s heartbeats). */
    public static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofSeconds(90);

    private static final Logger LOG = LoggerFactory.getLogger(AgentDirectory.class);
    private static final Comparator<AgentStatus> BY_ID = Comparator.comparing(AgentStatus::agentId);

    private final Duration offlineAfter;
    private final Clock clock;
    private final TopicFollower follower;
    private final Map<String, HeartbeatMessage> latest = new ConcurrentHashMap<>();
    private final AtomicLong badMessages = new AtomicLong();

    public AgentDirectory(Vertx vertx, KafkaSettings kafka, Duration offlineAfter) {
        this(vertx, kafka, offlineAfter, Clock.systemUTC());
    }

    /** @param clock tells the time that heartbeats are compared with */
    public AgentDirectory(Vertx vertx, KafkaSettings kafka, Duration offlineAfter, Clock clock) {
        Objects.requireNonNull(offlineAfter, "offlineAfter");
        if (offlineAfter.isNegative() || offlineAfter.isZero()) {
            throw new IllegalArgumentException("agents.offline-after: must be positive, got " + offlineAfter);
        }
        this.offlineAfter = offlineAfter;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.follower = new TopicFollower(vertx, vertx.getOrCreateContext(), kafka, kafka.topic(Topics.HEARTBEATS),
                "tracemesh-web-heartbeats", batch -> batch.records().forEach(this::apply));
    }

    /** Starts reading the heartbeats; see {@link #ready()} for when the directory is complete. */
    public Future<Void> start() {
        follower.start();
        return Future.succeededFuture();
    }

    /** Completes once the heartbeats that were on the topic at start have been read. */
    public Future<Void> ready() {
        return follower.ready();
    }

    public boolean isReady() {
        return follower.caughtUp();
    }

    public Future<Void> close() {
        return follower.close();
    }

    /** Every known agent, by id. */
    public List<AgentStatus> agents() {
        Instant now = clock.instant();
        return latest.values().stream().map(h -> status(h, now)).sorted(BY_ID).toList();
    }

    public Optional<AgentStatus> agent(String agentId) {
        HeartbeatMessage h = latest.get(agentId);
        return h == null ? Optional.empty() : Optional.of(status(h, clock.instant()));
    }

    /** Whether an agent with this id has sent a heartbeat. */
    public boolean knows(String agentId) {
        return latest.containsKey(agentId);
    }

    /** How many agents are online now. */
    public int onlineCount() {
        Instant now = clock.instant();
        return (int) latest.values().stream().filter(h -> online(h, now)).count();
    }

    /** How many agents have sent a heartbeat. */
    public int total() {
        return latest.size();
    }

    /** Messages on the heartbeats topic that were not valid heartbeats. */
    public long badMessages() {
        return badMessages.get();
    }

    public Duration offlineAfter() {
        return offlineAfter;
    }

    private AgentStatus status(HeartbeatMessage h, Instant now) {
        return new AgentStatus(h, online(h, now));
    }

    private boolean online(HeartbeatMessage h, Instant now) {
        return !h.time().plus(offlineAfter).isBefore(now);
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        HeartbeatMessage h;
        try {
            if (r.value() == null) {
                throw new InvalidMessageException(InvalidMessageException.Reason.BAD_JSON, "no value");
            }
            h = MessageJson.decode(r.value(), HeartbeatMessage.class);
        } catch (InvalidMessageException e) {
            long n = badMessages.incrementAndGet();
            LOG.warn("heartbeats {}-{} offset {}: skipped ({} bad so far): {}", r.topic(), r.partition(),
                    r.offset(), n, e.getMessage());
            return;
        }
        latest.merge(h.agentId(), h, (old, fresh) -> fresh.time().isBefore(old.time()) ? old : fresh);
    }
}
