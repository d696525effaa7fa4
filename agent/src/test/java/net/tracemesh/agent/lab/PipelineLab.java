package net.tracemesh.agent.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.message.Topics;

/**
 * A {@link MultiVantageLab} with a real Kafka broker (embedded, KRaft) in this namespace, listening on the lab's
 * management address so agents in the vantage namespaces reach it. Test classes share one; each uses its own
 * topic prefix so they never read each other's records.
 */
public final class PipelineLab implements AutoCloseable {
    private final MultiVantageLab lab;
    private final EmbeddedKafka kafka;
    private final Path dataDir;

    private PipelineLab(MultiVantageLab lab, EmbeddedKafka kafka, Path dataDir) {
        this.lab = lab;
        this.kafka = kafka;
        this.dataDir = dataDir;
    }

    public static PipelineLab start() {
        MultiVantageLab lab = MultiVantageLab.start();
        try {
            Path dir = Files.createTempDirectory("tracemesh-pipeline-kafka-");
            EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).port(0).listenHost("0.0.0.0")
                    .advertisedHost(MultiVantageLab.BROKER_HOST).build().start();
            return new PipelineLab(lab, kafka, dir);
        } catch (IOException e) {
            lab.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    public MultiVantageLab lab() {
        return lab;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Creates the platform's topics under {@code prefix} (e.g. {@code "outage."}). */
    public void createTopics(String prefix) {
        for (Topics.Spec spec : Topics.ALL) {
            kafka.ensureTopic(spec.fullName(prefix), spec.partitions(),
                    spec.compacted() ? Map.of("cleanup.policy", "compact") : Map.of());
        }
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            try {
                lab.close();
            } finally {
                Commands.run(java.util.List.of("rm", "-rf", dataDir.toString()));
            }
        }
    }
}
