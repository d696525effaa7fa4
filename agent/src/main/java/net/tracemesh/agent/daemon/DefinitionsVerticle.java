package net.tracemesh.agent.daemon;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted measurement-definitions topic: on every start it reads the topic from the beginning
 * (the agent keeps no state of its own about central measurements), then every update and deletion as it
 * comes. It uses no consumer group: each agent reads every definition and picks those that select it.
 * While the topic does not exist yet, it looks again every few seconds. Each record goes on with its headers (where
 * its signature is) to a {@link RecordHandler}: the agent's {@link DefinitionGate}.
 */
public final class DefinitionsVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(DefinitionsVerticle.class);
    private static final long RETRY_MILLIS = 5_000;

    private final String topic;
    private final Map<String, Object> clientProperties;
    private final RecordHandler onRecord;
    private KafkaReadStream<String, byte[]> consumer;
    private long retryTimer = -1;
    private boolean warned;

    /**
     * @param topic            full name of the definitions topic
     * @param clientProperties Kafka client properties (bootstrap servers, security)
     * @param onRecord         called with each record, in topic order, on the verticle's context
     */
    public DefinitionsVerticle(String topic, Map<String, Object> clientProperties, RecordHandler onRecord) {
        this.topic = topic;
        this.clientProperties = Map.copyOf(clientProperties);
        this.onRecord = onRecord;
    }

    @Override
    public Future<?> start() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tracemesh-agent-definitions");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = KafkaReadStream.create(vertx, config);
        consumer.pollTimeout(Duration.ofMillis(500));
        consumer.exceptionHandler(e -> LOG.warn("reading measurement definitions: {}", e.toString()));
        consumer.handler(r -> onRecord.record(r.key(), r.value(), lastHeader(r.headers())));
        assign();
        return Future.succeededFuture();
    }

    private void assign() {
        retryTimer = -1;
        consumer.partitionsFor(topic).onComplete(ar -> {
            List<PartitionInfo> partitions = ar.succeeded() ? ar.result() : null;
            if (partitions == null || partitions.isEmpty()) {
                if (!warned) {
                    LOG.warn("measurement definitions topic {} not available yet ({}); retrying", topic,
                            ar.failed() ? ar.cause().toString() : "no partitions");
                    warned = true;
                }
                retryTimer = vertx.setTimer(RETRY_MILLIS, id -> assign());
                return;
            }
            Set<TopicPartition> assigned = new HashSet<>();
            for (PartitionInfo p : partitions) {
                assigned.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(assigned)
                    .compose(v -> consumer.seekToBeginning(assigned))
                    .onSuccess(v -> LOG.info("following measurement definitions on {}", topic))
                    .onFailure(e -> {
                        LOG.warn("cannot follow {}: {}; retrying", topic, e.toString());
                        retryTimer = vertx.setTimer(RETRY_MILLIS, id -> assign());
                    });
        });
    }

    /** A record's last header of each name, null when it has none of that name. */
    static Function<String, byte[]> lastHeader(Headers headers) {
        return name -> {
            Header h = headers.lastHeader(name);
            return h == null ? null : h.value();
        };
    }

    @Override
    public Future<?> stop() {
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        return consumer == null ? Future.succeededFuture() : consumer.close();
    }

    /** Takes the records of the definitions topic. */
    @FunctionalInterface
    public interface RecordHandler {
        /**
         * @param key    the record key (the measurement id), or null
         * @param value  the value, null for a deletion
         * @param header the record's header values by name, null for an absent header
         */
        void record(String key, byte[] value, Function<String, byte[]> header);
    }
}
