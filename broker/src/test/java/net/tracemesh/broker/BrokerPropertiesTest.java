package net.tracemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {
    private static final Path LOG_DIR = Path.of("/var/lib/tracemesh/kafka-logs");

    @Test
    void kafkaAcceptsTheSingleNodeConfiguration() {
        Properties p = BrokerProperties.build(LOG_DIR, "0.0.0.0", 9092, "10.1.2.3", 9093, 3, Map.of());
        KafkaConfig config = new KafkaConfig(p, false);

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.logDirs()).containsExactly(LOG_DIR.toString());
        assertThat(config.controllerListenerNames()).containsExactly("CONTROLLER");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://10.1.2.3:9092");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
        assertThat(config.numPartitions()).isEqualTo(3);
        assertThat(config.getLong("log.cleaner.dedupe.buffer.size")).isEqualTo(8L * 1024 * 1024);
        assertThat(config.getBoolean("log.cleaner.enable")).isTrue();
        assertThat(config.getShort("offsets.topic.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getShort("transaction.state.log.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getInt("transaction.state.log.min.isr")).isEqualTo(1);
        assertThat(config.getInt("group.initial.rebalance.delay.ms")).isZero();
        assertThat(config.getInt("num.network.threads")).isEqualTo(2);
        assertThat(config.getInt("num.io.threads")).isEqualTo(4);
    }

    @Test
    void extraPropertiesOverrideOurs() {
        Properties p = BrokerProperties.build(LOG_DIR, "127.0.0.1", 9092, "127.0.0.1", 9093, 3,
                Map.of("num.io.threads", "8", "auto.create.topics.enable", "false"));
        KafkaConfig config = new KafkaConfig(p, false);
        assertThat(config.getInt("num.io.threads")).isEqualTo(8);
        assertThat(config.autoCreateTopicsEnable()).isFalse();
    }

    @Test
    void ipv6HostsAreBracketed() {
        Properties p = BrokerProperties.build(LOG_DIR, "::", 9092, "fd00::1", 9093, 1, Map.of());
        assertThat(p.getProperty("listeners")).startsWith("PLAINTEXT://[::]:9092,");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://[fd00::1]:9092");
        new KafkaConfig(p, false);
    }
}
