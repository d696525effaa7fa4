package net.tracemesh.web.agents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.message.Topics;
import net.tracemesh.web.config.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One real embedded Kafka broker for every web test of a test JVM (started on first use, stopped when the JVM
 * exits). Test classes keep apart by topic prefix.
 */
public final class SharedBroker {
    private static EmbeddedKafka kafka;

    private SharedBroker() {
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("tracemesh-web-broker");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedKafka started = EmbeddedKafka.builder().dataDir(dir).port(0)
                    .property("auto.create.topics.enable", "false").build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "tracemesh-web-test-broker-stop"));
            kafka = started;
        }
        return kafka;
    }

    /** A fresh prefix with the heartbeats and (compacted) measurements topics created under it. */
    public static KafkaSettings freshTopics(String testName) {
        String prefix = "web-" + testName + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        EmbeddedKafka k = kafka();
        k.ensureTopic(prefix + Topics.HEARTBEATS, 1, Map.of());
        k.ensureTopic(prefix + Topics.MEASUREMENTS, 1, Map.of("cleanup.policy", "compact"));
        return new KafkaSettings(k.bootstrapServers(), prefix, Map.of());
    }

    /** A producer of keyed records, acknowledged by the broker. */
    public static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
