package net.tracemesh.web.agents;

import java.time.Instant;
import java.util.List;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.web.config.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Heartbeats as agents publish them, for tests. */
public final class Heartbeats {
    public static final Instant STARTED = Instant.parse("2026-11-23T09:00:00Z");

    private Heartbeats() {
    }

    public static HeartbeatMessage of(String agentId, String site, Instant time) {
        return new HeartbeatMessage(HeartbeatMessage.TYPE, MessageJson.SCHEMA_VERSION,
                agentId + "/run/" + time.toEpochMilli(), agentId, site, "0.1.0", STARTED, time,
                List.of("198.18.0.100"), new HeartbeatMessage.Capabilities(List.of("udp-paris", "icmp-paris"), true,
                null), 100.0, List.of("m1"),
                new HeartbeatMessage.Counters(1000, 10, 1, 9, 1, 2000, 3, 2, 4096, 0, 0, 0));
    }

    /** Publishes heartbeats keyed by agent id; flushed before returning. */
    public static void publish(KafkaProducer<String, byte[]> producer, KafkaSettings kafka, HeartbeatMessage... hs) {
        for (HeartbeatMessage h : hs) {
            producer.send(new ProducerRecord<>(kafka.topic(Topics.HEARTBEATS), h.agentId(), MessageJson.encode(h)));
        }
        producer.flush();
    }

    /** Publishes raw bytes on the heartbeats topic (a message that is not a heartbeat). */
    public static void publishRaw(KafkaProducer<String, byte[]> producer, KafkaSettings kafka, String key,
                                  byte[] value) {
        producer.send(new ProducerRecord<>(kafka.topic(Topics.HEARTBEATS), key, value));
        producer.flush();
    }
}
