package net.tracemesh.web.measurements;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.tracemesh.measurement.DefinitionException;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.DefinitionVerifier;
import net.tracemesh.measurement.MeasurementCodec;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.message.Topics;
import net.tracemesh.web.agents.TopicFollower;
import net.tracemesh.web.config.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurement definitions on the compacted measurements topic, as the agents see them: the topic is read from
 * the beginning into a map by id (an empty value deletes; a value that is not a valid definition, or whose id
 * differs from its key, replaces the key's definition with nothing, as agents drop it too).
 *
 * <p>Every record the catalog publishes is signed with the web's Ed25519 key ({@link DefinitionSigning}: signature,
 * signing time and key id in the record's headers), its signing time later than any earlier record of the same id,
 * so agents holding the public key can tell the web's definitions from anyone else's. Reading the topic back, the
 * catalog applies the agents' own rule ({@link DefinitionVerifier}): a record not signed by this key, or signed
 * earlier than the newest accepted one of its id (a replay), is ignored as the agents ignore it, counted
 * ({@link #unverifiedRecords()}) and logged; it shows nowhere. After a key change the definitions signed with the
 * old key are therefore no longer shown; create them again.
 *
 * <p>Changes are published keyed by id with {@code acks=all} ({@link MeasurementCodec} JSON; a delete is a
 * tombstone), and a change's future completes only once the consumer has read the record back into the map, so a
 * read after a write sees it. Changes are refused ({@link CatalogException.Kind#NOT_READY}) until the topic has
 * been read up to its end offsets at start.
 *
 * <p>Thread safety: read from any thread; the map, the pending writes and the checks of a change run on the
 * context the catalog was created on; futures complete on the caller's context.
 */
public final class MeasurementCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(MeasurementCatalog.class);
    /** A change not read back within this is reported as failed (it may still take effect). */
    static final Duration READ_BACK_TIMEOUT = Duration.ofSeconds(30);
    /** Unverified records logged one by one; the next are only counted. */
    private static final int MAX_UNVERIFIED_LOGGED = 20;
    /** How long a send may wait for the topic's metadata. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(15);

    private final Vertx vertx;
    private final Context context;
    private final String topic;
    private final TopicFollower follower;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, MeasurementDefinition> definitions = new ConcurrentHashMap<>();
    private final AtomicLong badRecords = new AtomicLong();
    private final AtomicLong unverifiedRecords = new AtomicLong();
    private final KeyPair signingKey;
    private final String keyId;
    /** Which records to trust, as the agents decide; on the context. */
    private final DefinitionVerifier verifier;
    /** Per id, the signing time of the last record published; on the context. */
    private final Map<String, Instant> lastSigned = new HashMap<>();
    /** Next offset to read per partition; on the context. */
    private final Map<Integer, Long> positions = new HashMap<>();
    /** Writes waiting to be read back; on the context. */
    private final List<PendingWrite> pending = new ArrayList<>();
    /** Ids with a create in flight; on the context. */
    private final Set<String> creating = new HashSet<>();

    private record PendingWrite(int partition, long offset, Promise<Void> readBack, long timer) {
    }

    /**
     * @param signingKey the web's definitions signing key pair ({@link DefinitionSigning#readKeyPair})
     */
    public MeasurementCatalog(Vertx vertx, KafkaSettings kafka, KeyPair signingKey) {
        this.vertx = vertx;
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.keyId = DefinitionSigning.keyId(signingKey.getPublic());
        this.verifier = new DefinitionVerifier(signingKey.getPublic(), false);
        this.context = vertx.getOrCreateContext();
        this.topic = kafka.topic(Topics.MEASUREMENTS);
        this.follower = new TopicFollower(vertx, context, kafka, topic, "tracemesh-web-measurements",
                this::apply);
        Map<String, Object> p = new HashMap<>(kafka.properties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tracemesh-web-measurements");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Starts reading the topic; see {@link #ready()}. */
    public Future<Void> start() {
        follower.start();
        return Future.succeededFuture();
    }

    /** Completes once the definitions on the topic at start have been read. */
    public Future<Void> ready() {
        return follower.ready();
    }

    public boolean isReady() {
        return follower.caughtUp();
    }

    public Future<Void> close() {
        return follower.close().eventually(() -> vertx.executeBlocking(() -> {
            producer.close(MAX_BLOCK);
            return null;
        }, false));
    }

    /** Every definition, by id. */
    public List<MeasurementDefinition> definitions() {
        return definitions.values().stream().sorted(Comparator.comparing(MeasurementDefinition::id)).toList();
    }

    public Optional<MeasurementDefinition> definition(String id) {
        return Optional.ofNullable(definitions.get(id));
    }

    /** Records on the topic that were not valid definitions. */
    public long badRecords() {
        return badRecords.get();
    }

    /** Records on the topic ignored because they were not signed by this web's key, or were replays. */
    public long unverifiedRecords() {
        return unverifiedRecords.get();
    }

    /** The public key agents verify definitions with. */
    public PublicKey publicKey() {
        return signingKey.getPublic();
    }

    /** Its id, as in the records' {@value DefinitionSigning#KEY_ID_HEADER} header. */
    public String keyId() {
        return keyId;
    }

    /** Publishes a new definition; fails with {@link CatalogException.Kind#EXISTS} if its id is defined. */
    public Future<MeasurementDefinition> create(MeasurementDefinition d) {
        return onCaller(change(() -> {
            if (definitions.containsKey(d.id()) || creating.contains(d.id())) {
                throw new CatalogException(CatalogException.Kind.EXISTS, "measurement '" + d.id()
                        + "' exists already (change it with PUT)");
            }
            creating.add(d.id());
            return publish(d.id(), MeasurementCodec.encode(d)).map(d)
                    .onComplete(x -> creating.remove(d.id()));
        }));
    }

    /** Replaces an existing definition; fails with {@link CatalogException.Kind#MISSING} if there is none. */
    public Future<MeasurementDefinition> update(MeasurementDefinition d) {
        return onCaller(change(() -> {
            requireDefined(d.id());
            return publish(d.id(), MeasurementCodec.encode(d)).map(d);
        }));
    }

    /** Sets or clears {@code paused} of an existing definition. */
    public Future<MeasurementDefinition> setPaused(String id, boolean paused) {
        return onCaller(change(() -> {
            MeasurementDefinition d = requireDefined(id);
            MeasurementDefinition changed = new MeasurementDefinition(d.id(), d.description(), d.method(),
                    d.targets(), d.interval(), d.jitter(), d.start(), d.stop(), paused, d.agents(), d.trace(),
                    d.ping());
            return publish(id, MeasurementCodec.encode(changed)).map(changed);
        }));
    }

    /** Deletes a definition (a tombstone on the topic). */
    public Future<Void> delete(String id) {
        return onCaller(change(() -> {
            requireDefined(id);
            return publish(id, null);
        }));
    }

    private MeasurementDefinition requireDefined(String id) {
        MeasurementDefinition d = definitions.get(id);
        if (d == null) {
            throw new CatalogException(CatalogException.Kind.MISSING, "no measurement '" + id + "'");
        }
        return d;
    }

    /** Runs a change's checks and its publishing on the catalog's context, once the catalog is ready. */
    private <T> Future<T> change(Callable<Future<T>> work) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            if (!follower.caughtUp()) {
                result.fail(new CatalogException(CatalogException.Kind.NOT_READY,
                        "the measurement catalog is still reading " + topic));
                return;
            }
            try {
                work.call().onComplete(result);
            } catch (CatalogException e) {
                result.fail(e);
            } catch (Exception e) {
                result.fail(new CatalogException(CatalogException.Kind.WRITE_FAILED, e.toString(), e));
            }
        });
        return result.future();
    }

    /**
     * Sends one signed record (null value: a tombstone); completes on the context once it has been read back. Runs on
     * the context.
     */
    private Future<Void> publish(String id, byte[] value) {
        Promise<RecordMetadata> sent = Promise.promise();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, id, value);
        DefinitionSigning.sign(signingKey, id, value, signingTime(id)).headers().forEach(record.headers()::add);
        vertx.executeBlocking(() -> producer.send(record, (meta, error) -> {
            if (error != null) {
                sent.tryFail(error);
            } else {
                sent.tryComplete(meta);
            }
        }), false).onFailure(sent::tryFail);
        Promise<Void> readBack = Promise.promise();
        sent.future().onComplete(ar -> context.runOnContext(v -> {
            if (ar.failed()) {
                readBack.fail(new CatalogException(CatalogException.Kind.WRITE_FAILED, "publishing measurement '"
                        + id + "' to " + topic + " failed: " + ar.cause().getMessage(), ar.cause()));
                return;
            }
            awaitReadBack(ar.result().partition(), ar.result().offset(), readBack);
        }));
        return readBack.future();
    }

    /** Now, or just after the newest signing time known for the id if the clock is behind it: agents refuse older. */
    private Instant signingTime(String id) {
        Instant at = Instant.ofEpochMilli(System.currentTimeMillis());
        Instant newest = verifier.newestSignedAt(id).orElse(Instant.EPOCH);
        Instant last = lastSigned.getOrDefault(id, Instant.EPOCH);
        Instant floor = (newest.isAfter(last) ? newest : last).plusMillis(1);
        if (at.isBefore(floor)) {
            at = floor;
        }
        lastSigned.put(id, at);
        return at;
    }

    private void awaitReadBack(int partition, long offset, Promise<Void> readBack) {
        if (positions.getOrDefault(partition, 0L) > offset) {
            readBack.complete();
            return;
        }
        long timer = vertx.setTimer(READ_BACK_TIMEOUT.toMillis(), t -> {
            pending.removeIf(p -> p.readBack() == readBack);
            readBack.tryFail(new CatalogException(CatalogException.Kind.WRITE_FAILED, "the change was written to "
                    + topic + " but not read back within " + READ_BACK_TIMEOUT.toSeconds() + " s"));
        });
        pending.add(new PendingWrite(partition, offset, readBack, timer));
    }

    private void apply(TopicFollower.Batch batch) {
        for (ConsumerRecord<String, byte[]> r : batch.records()) {
            applyRecord(r);
        }
        positions.putAll(batch.positions());
        for (Iterator<PendingWrite> it = pending.iterator(); it.hasNext(); ) {
            PendingWrite p = it.next();
            if (positions.getOrDefault(p.partition(), 0L) > p.offset()) {
                it.remove();
                vertx.cancelTimer(p.timer());
                p.readBack().tryComplete();
            }
        }
    }

    private void applyRecord(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        if (key == null) {
            bad(r, "no key");
            return;
        }
        DefinitionVerifier.Verdict verdict = verifier.check(key, r.value(), name -> {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : h.value();
        });
        if (!verdict.accepted()) {
            long n = unverifiedRecords.incrementAndGet();
            if (n <= MAX_UNVERIFIED_LOGGED) {
                LOG.warn("{}-{} offset {}: record of measurement '{}' ignored ({} so far{}): {}", r.topic(),
                        r.partition(), r.offset(), key, n, n == MAX_UNVERIFIED_LOGGED ? ", the next are only counted"
                                : "", verdict.reason());
            }
            return;
        }
        if (r.value() == null || r.value().length == 0) {
            definitions.remove(key);
            return;
        }
        MeasurementDefinition d;
        try {
            d = MeasurementCodec.decode(r.value());
        } catch (DefinitionException e) {
            definitions.remove(key);
            bad(r, e.getMessage());
            return;
        }
        if (!d.id().equals(key)) {
            definitions.remove(key);
            bad(r, "key '" + key + "' holds measurement '" + d.id() + "'");
            return;
        }
        definitions.put(key, d);
    }

    private void bad(ConsumerRecord<String, byte[]> r, String why) {
        long n = badRecords.incrementAndGet();
        LOG.warn("{}-{} offset {}: not a usable measurement definition ({} so far): {}", r.topic(), r.partition(),
                r.offset(), n, why);
    }

    /** The future, completing on the caller's context (when there is one). */
    private static <T> Future<T> onCaller(Future<T> f) {
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return f;
        }
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> caller.runOnContext(v -> p.handle(ar)));
        return p.future();
    }
}
