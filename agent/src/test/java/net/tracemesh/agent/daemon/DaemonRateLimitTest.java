package net.tracemesh.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.tracemesh.agent.lab.CommandResult;
import net.tracemesh.agent.lab.MultiVantageLab;
import net.tracemesh.agent.lab.Netns;
import net.tracemesh.agent.lab.PipelineLab;
import net.tracemesh.agent.lab.PipelineLabExtension;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent never exceeds its configured probe rate: packets from the vantage point are counted on the wire, at
 * the first router's ingress, while the agent traces 254 destinations at 100 probes per second.
 */
@ExtendWith(PipelineLabExtension.class)
class DaemonRateLimitTest {
    private static final String PREFIX = "rate.";
    private static final int RATE = 100;
    /** Fields of a sample: when the reading of the packet counter started, the count, when the reading ended. */
    private static final int READ_START = 0;
    private static final int COUNT = 1;
    private static final int READ_END = 2;

    @Test
    void packetsOnTheWireStayWithinTheConfiguredRate(PipelineLab pipeline) {
        pipeline.createTopics(PREFIX);
        MultiVantageLab lab = pipeline.lab();
        Netns ra = lab.role("ra");
        ra.iptables("-t", "raw", "-A", "PREROUTING", "-i", "to-vpa", "-s", MultiVantageLab.VANTAGE_A,
                "-m", "comment", "--comment", "tmrate", "-j", "ACCEPT");
        String measurements = AgentYaml.trace("bulk", "udp-paris", 600, "\"" + MultiVantageLab.BULK_PREFIX + "\"",
                "probes_per_hop: 1, max_ttl: 3, wait_ms: 1000");
        List<long[]> samples = new ArrayList<>();
        try (AgentDaemonProcess a = AgentDaemonProcess.start(lab.vantageA(), "rate",
                AgentYaml.config("vp-rate", "Rate", PREFIX, pipeline.bootstrapServers(), RATE, "", measurements))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int completed = 0;
            while (completed < 254 && System.nanoTime() < deadline) {
                samples.add(sample(ra));
                TopicReader.sleep(250);
                if (samples.size() % 8 == 0) {
                    completed = TopicReader.readAll(pipeline.bootstrapServers(), PREFIX + Topics.TRACES,
                            TraceCompletionMessage.class).size();
                }
            }
            samples.add(sample(ra));
            assertThat(completed).as(a.log()).isEqualTo(254);
            a.stop();
        } finally {
            ra.iptables("-t", "raw", "-D", "PREROUTING", "-i", "to-vpa", "-s", MultiVantageLab.VANTAGE_A,
                    "-m", "comment", "--comment", "tmrate", "-j", "ACCEPT");
        }
        long total = samples.get(samples.size() - 1)[COUNT] - samples.get(0)[COUNT];
        assertThat(total).as("probes seen on the wire").isGreaterThanOrEqualTo(254 * 3);
        // Over every window of about two seconds, and over the whole round: at most the rate, plus the bucket's
        // one-token burst and a token of rounding. The packets counted between two samples were sent between the
        // start of the first reading of the counter and the end of the second (a reading takes a process run).
        for (int i = 0; i + 8 < samples.size(); i++) {
            long[] from = samples.get(i);
            long[] to = samples.get(i + 8);
            double seconds = (to[READ_END] - from[READ_START]) / 1e9;
            assertThat((double) (to[COUNT] - from[COUNT])).as("packets in %.2f s from sample %d", seconds, i)
                    .isLessThanOrEqualTo(RATE * seconds + 2);
        }
        double seconds = (samples.get(samples.size() - 1)[READ_END] - samples.get(0)[READ_START]) / 1e9;
        assertThat((double) total).isLessThanOrEqualTo(RATE * seconds + 2);
    }

    /** When a reading of the packet counter started, the count, and when the reading ended. */
    private static long[] sample(Netns ra) {
        long start = System.nanoTime();
        long count = packets(ra);
        return new long[] {start, count, System.nanoTime()};
    }

    /** Packets the counting rule has matched so far. */
    private static long packets(Netns ra) {
        CommandResult r = ra.exec("iptables", "-t", "raw", "-L", "PREROUTING", "-v", "-x", "-n");
        for (String line : r.stdout().split("\n")) {
            if (line.contains("tmrate")) {
                return Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("counting rule not found:\n" + r.stdout());
    }
}
