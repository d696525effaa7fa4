package net.tracemesh.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.tracemesh.record.PingOutcome;
import net.tracemesh.record.PingProbeRecord;
import net.tracemesh.record.PingRecord;
import org.junit.jupiter.api.Test;

class PingTextWriterTest {
    private static final String NL = System.lineSeparator();
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

    private static String lines(String... lines) {
        return String.join(NL, lines) + NL;
    }

    @Test
    void printsEachProbeTheSymbolStringAndTheSummary() {
        PingRecord ping = new PingRecord("ping", 1, "198.18.0.2", "198.18.9.2", START, 56, 64, true, 4, 1, 75.0,
                1.234, 1.234, 1.234, 0.0, List.of(
                new PingProbeRecord(0, PingOutcome.REPLY, 1.234, "198.18.9.2", 0, 0, null),
                new PingProbeRecord(1, PingOutcome.TIMEOUT, null, null, null, null, null),
                new PingProbeRecord(2, PingOutcome.UNREACHABLE, 0.5, "198.18.1.1", 3, 1, null),
                new PingProbeRecord(3, PingOutcome.FRAG_NEEDED, 0.6, "198.18.1.1", 3, 4, 1400)));

        assertThat(PingTextWriter.format(ping)).isEqualTo(lines(
                "PING 198.18.9.2 from 198.18.0.2: 56 data bytes, ttl 64, DF",
                "reply from 198.18.9.2: icmp_seq=0 time=1.234 ms",
                "no reply for icmp_seq=1",
                "from 198.18.1.1 icmp_seq=2 Destination unreachable: host unreachable",
                "from 198.18.1.1 icmp_seq=3 Frag needed and DF set (mtu = 1400)",
                "!.UM",
                "--- 198.18.9.2 ping statistics ---",
                "4 packets transmitted, 1 received, 75% packet loss",
                "rtt min/avg/max/mdev = 1.234/1.234/1.234/0.000 ms"));
    }

    @Test
    void otherOutcomesHaveTheirOwnSymbolsAndLines() {
        PingRecord ping = new PingRecord("ping", 1, "198.18.0.2", "198.18.9.2", START, 1472, 3, false, 4, 0, 100.0,
                null, null, null, null, List.of(
                new PingProbeRecord(0, PingOutcome.TIME_EXCEEDED, 0.3, "198.18.3.1", 11, 0, null),
                new PingProbeRecord(1, PingOutcome.SOURCE_QUENCH, 0.3, "198.18.3.1", 4, 0, null),
                new PingProbeRecord(2, PingOutcome.OTHER, 0.3, "198.18.3.1", 12, 0, null),
                new PingProbeRecord(3, PingOutcome.FRAG_NEEDED, 0.3, "198.18.3.1", 3, 4, null)));

        assertThat(PingTextWriter.format(ping)).isEqualTo(lines(
                "PING 198.18.9.2 from 198.18.0.2: 1472 data bytes, ttl 3",
                "from 198.18.3.1 icmp_seq=0 Time to live exceeded",
                "from 198.18.3.1 icmp_seq=1 source quench code 0",
                "from 198.18.3.1 icmp_seq=2 parameter problem code 0",
                "from 198.18.3.1 icmp_seq=3 Frag needed and DF set (mtu = ?)",
                "&Q?M",
                "--- 198.18.9.2 ping statistics ---",
                "4 packets transmitted, 0 received, 100% packet loss"));
    }

    @Test
    void fractionalLossKeepsOneDecimal() {
        PingRecord ping = new PingRecord("ping", 1, "198.18.0.2", "198.18.9.2", START, 56, 64, false, 3, 2, 33.3,
                1.0, 1.5, 2.0, 0.5, List.of(
                new PingProbeRecord(0, PingOutcome.REPLY, 1.0, "198.18.9.2", 0, 0, null),
                new PingProbeRecord(1, PingOutcome.REPLY, 2.0, "198.18.9.2", 0, 0, null),
                new PingProbeRecord(2, PingOutcome.TIMEOUT, null, null, null, null, null)));

        String text = PingTextWriter.format(ping);
        assertThat(text).contains(NL + "!!." + NL);
        assertThat(text).endsWith(lines("3 packets transmitted, 2 received, 33.3% packet loss",
                "rtt min/avg/max/mdev = 1.000/1.500/2.000/0.500 ms"));
    }
}
