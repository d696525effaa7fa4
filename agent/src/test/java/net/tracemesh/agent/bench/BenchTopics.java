package net.tracemesh.agent.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.tracemesh.message.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the platform's topics ({@link Topics#ALL}, with their partition counts; the compacted one compacted)
 * on a broker, for the daemon-pipeline benchmark. The other topics get broker-side timestamps
 * ({@code message.timestamp.type=LogAppendTime}), so a record's timestamp is when the broker stored it:
 *
 * <pre>
 * java -cp agent.jar:test-classes net.tracemesh.agent.bench.BenchTopics --bootstrap 127.0.0.1:9092
 *     [--prefix tracemesh.]
 * </pre>
 */
public final class BenchTopics {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final short REPLICATION = 1;

    private BenchTopics() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse("bench-topics", args, Set.of("--bootstrap", "--prefix"));
        String bootstrap = a.required("--bootstrap");
        String prefix = a.text("--prefix", Topics.DEFAULT_PREFIX);
        List<NewTopic> topics = new ArrayList<>();
        for (Topics.Spec spec : Topics.ALL) {
            topics.add(newTopic(spec.fullName(prefix), spec.partitions(), spec.compacted()));
        }
        create(bootstrap, topics);
        for (NewTopic t : topics) {
            System.out.println("topic " + t.name() + " partitions=" + t.numPartitions() + " " + t.configs());
        }
    }

    /** A topic of this benchmark: compacted, or with broker-side (log-append) timestamps. */
    static NewTopic newTopic(String name, int partitions, boolean compacted) {
        Map<String, String> configs = new HashMap<>();
        if (compacted) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else {
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        }
        return new NewTopic(name, partitions, REPLICATION).configs(configs);
    }

    /** Creates the topics that do not exist yet and waits until the broker knows all of them. */
    static void create(String bootstrap, List<NewTopic> topics) throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("creating topic " + t.name() + " timed out after "
                            + TIMEOUT.toSeconds() + " s", e);
                }
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<String> names = topics.stream().map(NewTopic::name).toList();
            while (true) {
                try {
                    admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("topics not ready after " + TIMEOUT.toSeconds() + " s: "
                                + e.getMessage(), e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }
}
