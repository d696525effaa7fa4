package net.tracemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several brokers, data directories reused by new instances, and start-up failures. */
class EmbeddedKafkaLifecycleTest {
    @TempDir
    Path tmp;

    /**
     * A broker on one directory (a second broker on that same directory is refused), a broker on a
     * new directory running at the same time in the same JVM, then a new instance on the first
     * directory: same cluster id, old records present.
     */
    @Test
    void brokersOnSeparateDirectoriesCoexistAndADirectoryIsReopenedWithoutReformatting() throws Exception {
        Path firstDir = tmp.resolve("first");
        String clusterId;
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(firstDir).build().start()) {
            first.ensureTopic("test.kept", 1, Map.of());
            produce(first.bootstrapServers(), "test.kept", "written by the first run");
            clusterId = TestClients.clusterId(first.bootstrapServers());

            EmbeddedKafka sameDir = EmbeddedKafka.builder().dataDir(firstDir).build();
            assertThatThrownBy(sameDir::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(firstDir.toString()).hasMessageContaining("in use");
            assertThat(sameDir.running()).isFalse();

            try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(tmp.resolve("second"))
                    .listenHost("0.0.0.0").defaultPartitions(1).build().start()) {
                assertThat(second.bootstrapServers()).isEqualTo("127.0.0.1:" + second.port());
                assertThat(second.port()).isNotEqualTo(first.port());
                assertThat(TestClients.clusterId(second.bootstrapServers())).isNotEqualTo(clusterId);
                // num.partitions applies to a topic created on first use
                produce(second.bootstrapServers(), "test.auto-created", "second broker");
                assertThat(TestClients.readAll(second.bootstrapServers(), "test.auto-created"))
                        .extracting(ConsumerRecord::partition, ConsumerRecord::value)
                        .containsExactly(tuple(0, "second broker"));
            }
            assertThat(first.running()).isTrue();
            produce(first.bootstrapServers(), "test.kept", "still running");
        }

        try (EmbeddedKafka reopened = EmbeddedKafka.builder().dataDir(firstDir).build().start()) {
            assertThat(TestClients.clusterId(reopened.bootstrapServers())).isEqualTo(clusterId);
            assertThat(TestClients.readAll(reopened.bootstrapServers(), "test.kept"))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("written by the first run", "still running");
        }
    }

    @Test
    void aDataDirectoryThatIsARegularFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(file).build();
        assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a directory");
        assertThat(kafka.running()).isFalse();

        EmbeddedKafka below = EmbeddedKafka.builder().dataDir(file.resolve("sub")).build();
        assertThatThrownBy(below::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot create Kafka data directory");
    }

    @Test
    void aPortInUseIsReportedByNumber() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(tmp.resolve("busy"))
                    .port(taken.getLocalPort()).build();
            assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("not available");
            assertThat(kafka.running()).isFalse();
            assertThat(tmp.resolve("busy").resolve(EmbeddedKafka.LOG_DIR_NAME).resolve("meta.properties"))
                    .as("nothing formatted before the port check").doesNotExist();
        }
    }

    @Test
    void anUnknownListenHostIsReported() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(tmp.resolve("nohost"))
                .listenHost("no-such-host.invalid").build();
        assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void kafkaRefusingTheConfigurationIsReportedClearly() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(tmp.resolve("badconf"))
                .property("num.io.threads", "lots").build();
        assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invalid Kafka broker configuration").hasMessageContaining("num.io.threads");
    }

    @Test
    void builderValidatesItsArguments() {
        assertThatThrownBy(() -> EmbeddedKafka.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataDir");
        assertThatThrownBy(() -> EmbeddedKafka.builder().port(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafka.builder().port(65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafka.builder().listenHost(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafka.builder().advertisedHost("0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0.0.0");
        assertThatThrownBy(() -> EmbeddedKafka.builder().defaultPartitions(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafka.builder().property("", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesBeforeTheFirstStart() {
        EmbeddedKafka wildcard = EmbeddedKafka.builder().dataDir(tmp).listenHost("0.0.0.0").port(19092).build();
        assertThat(wildcard.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        EmbeddedKafka advertised = EmbeddedKafka.builder().dataDir(tmp).listenHost("0.0.0.0")
                .advertisedHost("broker.example").port(19093).build();
        assertThat(advertised.bootstrapServers()).isEqualTo("broker.example:19093");
        EmbeddedKafka v6 = EmbeddedKafka.builder().dataDir(tmp).listenHost("::1").port(19094).build();
        assertThat(v6.bootstrapServers()).isEqualTo("[::1]:19094");

        EmbeddedKafka notStarted = EmbeddedKafka.builder().dataDir(tmp).build();
        assertThat(notStarted.port()).isZero();
        assertThat(notStarted.running()).isFalse();
        assertThat(notStarted.dataDir()).isEqualTo(tmp.toAbsolutePath());
        notStarted.stop();
        notStarted.close();
        assertThatThrownBy(() -> notStarted.ensureTopic("t", 1, Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = TestClients.producer(bootstrap, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
        }
    }
}
