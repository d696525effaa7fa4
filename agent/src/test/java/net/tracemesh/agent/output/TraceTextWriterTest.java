package net.tracemesh.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.StopReason;
import net.tracemesh.record.TraceRecord;
import org.junit.jupiter.api.Test;

class TraceTextWriterTest {
    private static final String NL = System.lineSeparator();
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

    private static TraceRecord trace(String method, int probes, StopReason stop, Integer code, Integer stopTtl,
                                     Integer pathMtu, int size, List<HopRecord> hops) {
        return new TraceRecord("trace", 1, "198.18.0.2", "198.18.9.2", method, START, START.plusSeconds(1), 1, 30,
                probes, size, 40_000, 33_434, stop, code, stopTtl, 12, pathMtu, hops);
    }

    private static HopRecord icmp(int ttl, int probe, String addr, double rtt, int type, int code) {
        return new HopRecord(ttl, addr, rtt, type, code, 64, probe, null, null, null);
    }

    private static String lines(String... lines) {
        return String.join(NL, lines) + NL;
    }

    @Test
    void printsOneLinePerTtlWithTheAddressOnlyWhenItChanges() {
        TraceRecord t = trace("udp-paris", 3, StopReason.COMPLETED, null, 4, null, 60, List.of(
                icmp(1, 0, "198.18.1.1", 0.5, 11, 0), icmp(1, 1, "198.18.1.1", 0.6, 11, 0),
                icmp(1, 2, "198.18.1.1", 0.7, 11, 0),
                icmp(3, 0, "198.18.3.1", 1.0, 11, 0), icmp(3, 2, "198.18.3.2", 2.0, 11, 0),
                icmp(4, 0, "198.18.9.2", 3.0, 3, 3), icmp(4, 1, "198.18.9.2", 3.1, 3, 3),
                icmp(4, 2, "198.18.9.2", 3.25, 3, 3)));

        assertThat(TraceTextWriter.format(t)).isEqualTo(lines(
                "traceroute to 198.18.9.2 from 198.18.0.2, 30 hops max, 60 byte packets, udp-paris",
                " 1  198.18.1.1  0.500 ms  0.600 ms  0.700 ms",
                " 2  * * *",
                " 3  198.18.3.1  1.000 ms * 198.18.3.2  2.000 ms",
                " 4  198.18.9.2  3.000 ms  3.100 ms  3.250 ms"));
    }

    @Test
    void anAddressComesBackAfterAnotherOne() {
        TraceRecord t = trace("udp", 3, StopReason.COMPLETED, null, 1, null, 60, List.of(
                icmp(1, 0, "198.18.1.1", 1, 11, 0), icmp(1, 1, "198.18.1.2", 2, 11, 0),
                icmp(1, 2, "198.18.1.1", 3, 11, 0)));

        assertThat(TraceTextWriter.format(t)).endsWith(
                " 1  198.18.1.1  1.000 ms 198.18.1.2  2.000 ms 198.18.1.1  3.000 ms" + NL);
    }

    @Test
    void annotatesUnreachablesLikeTraceroute() {
        TraceRecord t = trace("udp-paris", 3, StopReason.UNREACHABLE, 1, 3, null, 60, List.of(
                icmp(1, 0, "198.18.1.1", 1, 3, 0), icmp(1, 1, "198.18.1.1", 1.1, 3, 13),
                icmp(1, 2, "198.18.1.1", 1.2, 3, 10),
                icmp(2, 0, "198.18.2.1", 2, 3, 1), icmp(2, 1, "198.18.2.1", 2.1, 3, 1),
                new HopRecord(3, "198.18.3.1", 3, 3, 4, 64, 0, 600, null, null),
                icmp(3, 1, "198.18.3.1", 3.1, 3, 3)));

        assertThat(TraceTextWriter.format(t)).isEqualTo(lines(
                "traceroute to 198.18.9.2 from 198.18.0.2, 30 hops max, 60 byte packets, udp-paris",
                " 1  198.18.1.1  1.000 ms !N  1.100 ms !X  1.200 ms !X",
                " 2  198.18.2.1  2.000 ms !H  2.100 ms !H *",
                " 3  198.18.3.1  3.000 ms !F600  3.100 ms *"));
    }

    @Test
    void theDestinationsPortUnreachableAndEchoRepliesAreNotAnnotated() {
        TraceRecord t = trace("icmp-paris", 1, StopReason.COMPLETED, null, 2, null, 60, List.of(
                icmp(1, 0, "198.18.9.2", 1, 3, 3), icmp(2, 0, "198.18.9.2", 2, 0, 0)));

        assertThat(TraceTextWriter.format(t)).contains(" 1  198.18.9.2  1.000 ms" + NL)
                .contains(" 2  198.18.9.2  2.000 ms" + NL);
        assertThat(TraceTextWriter.annotation(icmp(1, 0, "198.18.9.2", 1, 3, 3), "198.18.9.2")).isEmpty();
        assertThat(TraceTextWriter.annotation(icmp(1, 0, "198.18.9.2", 1, 0, 0), "198.18.9.2")).isEmpty();
        assertThat(TraceTextWriter.annotation(icmp(1, 0, "198.18.1.1", 1, 11, 0), "198.18.9.2")).isEmpty();
        assertThat(TraceTextWriter.annotation(icmp(1, 0, "198.18.1.1", 1, 3, 2), "198.18.9.2")).isEqualTo("!P");
        assertThat(TraceTextWriter.annotation(new HopRecord(1, "198.18.1.1", 1, 3, 4, 64, 0, null, null, null),
                "198.18.9.2")).isEqualTo("!F0");
    }

    @Test
    void printsMplsLabelsAfterTheAddress() {
        HopRecord labelled = new HopRecord(2, "198.18.2.1", 1, 11, 0, 254, 0, null,
                List.of(new MplsLabel(16_001, 0, false, 1), new MplsLabel(3, 5, true, 255)), null);
        TraceRecord t = trace("udp-paris", 1, StopReason.MAX_TTL, null, 2, null, 60, List.of(
                icmp(1, 0, "198.18.1.1", 0.25, 11, 0), labelled));

        assertThat(TraceTextWriter.format(t)).endsWith(
                " 2  198.18.2.1 <MPLS:L=16001,E=0,S=0,T=1> <MPLS:L=3,E=5,S=1,T=255>  1.000 ms" + NL);
    }

    @Test
    void tcpRepliesHaveNoAnnotation() {
        HopRecord synAck = new HopRecord(2, "198.18.9.2", 2.5, null, null, 60, 0, null, null, "SA");
        TraceRecord t = trace("tcp", 1, StopReason.COMPLETED, null, 2, null, 40, List.of(
                icmp(1, 0, "198.18.1.1", 1, 11, 0), synAck));

        assertThat(TraceTextWriter.format(t)).isEqualTo(lines(
                "traceroute to 198.18.9.2 from 198.18.0.2, 30 hops max, 40 byte packets, tcp",
                " 1  198.18.1.1  1.000 ms",
                " 2  198.18.9.2  2.500 ms"));
    }

    @Test
    void gapLimitAndLoopStopsAreSaid() {
        TraceRecord gap = trace("udp-paris", 1, StopReason.GAP_LIMIT, null, 3, null, 60, List.of(
                icmp(1, 0, "198.18.1.1", 1, 11, 0)));
        assertThat(TraceTextWriter.format(gap)).isEqualTo(lines(
                "traceroute to 198.18.9.2 from 198.18.0.2, 30 hops max, 60 byte packets, udp-paris",
                " 1  198.18.1.1  1.000 ms",
                " 2  *",
                " 3  *",
                "    (stopped: gap limit)"));

        TraceRecord loop = trace("udp-paris", 1, StopReason.LOOP, null, 3, null, 60, List.of(
                icmp(1, 0, "198.18.1.1", 1, 11, 0), icmp(2, 0, "198.18.2.1", 1, 11, 0),
                icmp(3, 0, "198.18.1.1", 1, 11, 0)));
        assertThat(TraceTextWriter.format(loop)).endsWith(" 3  198.18.1.1  1.000 ms" + NL
                + "    (stopped: loop)" + NL);
    }

    @Test
    void pathMtuDiscoveryShowsEachReplyOfAProbeAndThePathMtu() {
        TraceRecord t = trace("udp-paris", 1, StopReason.COMPLETED, null, 3, 600, 600, List.of(
                icmp(1, 0, "198.18.1.1", 1, 11, 0),
                new HopRecord(2, "198.18.1.1", 0.5, 3, 4, 64, 0, 600, null, null),
                icmp(2, 0, "198.18.2.1", 2, 11, 0),
                icmp(3, 0, "198.18.9.2", 3, 3, 3)));

        assertThat(TraceTextWriter.format(t)).isEqualTo(lines(
                "traceroute to 198.18.9.2 from 198.18.0.2, 30 hops max, 600 byte packets, udp-paris",
                " 1  198.18.1.1  1.000 ms",
                " 2  198.18.1.1  0.500 ms !F600 198.18.2.1  2.000 ms",
                " 3  198.18.9.2  3.000 ms",
                "    path MTU 600"));
    }

    @Test
    void withoutAStopTtlEveryTtlUpToTheMaximumIsPrinted() {
        TraceRecord t = new TraceRecord("trace", 1, "198.18.0.2", "198.18.9.2", "udp", START, START, 28, 30, 1, 60,
                40_000, 33_434, StopReason.MAX_TTL, null, null, 3, null, List.of());

        assertThat(TraceTextWriter.format(t)).isEqualTo(lines(
                "traceroute to 198.18.9.2 from 198.18.0.2, 30 hops max, 60 byte packets, udp",
                "28  *",
                "29  *",
                "30  *"));
    }
}
