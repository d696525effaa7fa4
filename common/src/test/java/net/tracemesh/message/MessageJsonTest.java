package net.tracemesh.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.PingOutcome;
import net.tracemesh.record.PingProbeRecord;
import net.tracemesh.record.PingRecord;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.Test;

class MessageJsonTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-23T10:00:01.250Z");

    static HopMessage hop() {
        HopRecord h = new HopRecord(2, "198.18.1.1", 0.42, 11, 0, 63, 1, null,
                List.of(new MplsLabel(16005, 0, true, 1)), null);
        return new HopMessage(HopMessage.TYPE, 1, HopMessage.recordId("abc-1", 2, 1), "fra1-a", "chain",
                T0, "abc-1", "icmp-paris", "198.18.0.2", "198.18.9.9", null, null, T0, h);
    }

    static TraceCompletionMessage completion() {
        return new TraceCompletionMessage(TraceCompletionMessage.TYPE, 1, TraceCompletionMessage.recordId("abc-1"),
                "fra1-a", "chain", T0, "abc-1", "udp-paris", "198.18.0.2", "198.18.9.9", 40001, 33434, T0, T1,
                1, 30, 3, 60, StopReason.UNREACHABLE, 13, 4, 12, null, 9);
    }

    @Test
    void everyMessageRoundTrips() {
        HeartbeatMessage beat = new HeartbeatMessage(HeartbeatMessage.TYPE, 1, "fra1-a/1", "fra1-a", "Frankfurt DC1",
                "0.1.0", T0, T1, List.of("198.18.0.2"),
                new HeartbeatMessage.Capabilities(List.of("udp", "ping"), true, null), 100.0, List.of("chain"),
                new HeartbeatMessage.Counters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        AgentErrorMessage error = new AgentErrorMessage(AgentErrorMessage.TYPE, 1, "e-1", "fra1-a", T1,
                "forbidden_target", "bad", "224.0.0.1", "multicast");
        PingRecord ping = new PingRecord(PingRecord.TYPE, 1, "198.18.0.2", "198.18.9.9", T0, 56, 64, false, 2, 1,
                50.0, 0.5, 0.5, 0.5, 0.0, List.of(new PingProbeRecord(1, PingOutcome.REPLY, 0.5, "198.18.9.9", 0, 0,
                        null), new PingProbeRecord(2, PingOutcome.TIMEOUT, null, null, null, null, null)));
        PingMessage pingMessage = new PingMessage(PingMessage.TYPE, 1, "p-1", "fra1-a", "pings", T0, ping);
        for (AgentMessage m : List.of(hop(), completion(), beat, error, pingMessage)) {
            byte[] json = MessageJson.encode(m);
            assertThat(MessageJson.decode(json, m.getClass())).isEqualTo(m);
        }
    }

    @Test
    void fieldsAreSnakeCaseAndAbsentOnesLeftOut() {
        String json = new String(MessageJson.encode(hop()), StandardCharsets.UTF_8);
        assertThat(json).contains("\"record_id\":\"abc-1/2/1\"", "\"agent_id\":\"fra1-a\"",
                "\"round_start\":\"2026-11-23T10:00:00Z\"", "\"rtt_ms\":0.42", "\"type\":\"hop\"");
        assertThat(json).doesNotContain("sport", "null");
        String end = new String(MessageJson.encode(completion()), StandardCharsets.UTF_8);
        assertThat(end).contains("\"stop_reason\":\"unreachable\"", "\"stop_icmp_code\":13", "\"hop_count\":9");
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> MessageJson.decode("{\"type\":".getBytes(StandardCharsets.UTF_8), HopMessage.class))
                .isInstanceOf(InvalidMessageException.class)
                .satisfies(e -> assertThat(((InvalidMessageException) e).reason())
                        .isEqualTo(InvalidMessageException.Reason.BAD_JSON));
        assertThatThrownBy(() -> MessageJson.decode("[1]".getBytes(StandardCharsets.UTF_8), HopMessage.class))
                .hasMessageContaining("not a JSON object");
        String v2 = new String(MessageJson.encode(hop()), StandardCharsets.UTF_8).replace("\"schema\":1", "\"schema\":2");
        assertThatThrownBy(() -> MessageJson.decode(v2.getBytes(StandardCharsets.UTF_8), HopMessage.class))
                .satisfies(e -> assertThat(((InvalidMessageException) e).reason())
                        .isEqualTo(InvalidMessageException.Reason.UNSUPPORTED_SCHEMA));
        String ttl0 = new String(MessageJson.encode(hop()), StandardCharsets.UTF_8).replace("\"ttl\":2", "\"ttl\":0");
        assertThatThrownBy(() -> MessageJson.decode(ttl0.getBytes(StandardCharsets.UTF_8), HopMessage.class))
                .satisfies(e -> assertThat(((InvalidMessageException) e).reason())
                        .isEqualTo(InvalidMessageException.Reason.INVALID_FIELD))
                .hasMessageContaining("ttl");
        String noAgent = new String(MessageJson.encode(hop()), StandardCharsets.UTF_8)
                .replace("\"agent_id\":\"fra1-a\",", "");
        assertThatThrownBy(() -> MessageJson.decode(noAgent.getBytes(StandardCharsets.UTF_8), HopMessage.class))
                .hasMessageContaining("agent_id");
        assertThatThrownBy(() -> MessageJson.decode(new byte[] {(byte) 0xff, 0, 1}, HopMessage.class))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void theSchemaMustBeAWholeNumberOfThisBuild() {
        String good = new String(MessageJson.encode(completion()), StandardCharsets.UTF_8);
        for (String schema : List.of("\"schema\":\"1\"", "\"schema\":1.0", "\"schema\":null")) {
            String bad = good.replace("\"schema\":1", schema);
            assertThatThrownBy(() -> MessageJson.decode(bad.getBytes(StandardCharsets.UTF_8),
                    TraceCompletionMessage.class))
                    .satisfies(e -> assertThat(((InvalidMessageException) e).reason())
                            .isEqualTo(InvalidMessageException.Reason.MISSING_FIELD));
        }
        String noSchema = good.replace("\"schema\":1,", "");
        assertThatThrownBy(() -> MessageJson.decode(noSchema.getBytes(StandardCharsets.UTF_8),
                TraceCompletionMessage.class)).hasMessageContaining("schema is missing");
        String v0 = good.replace("\"schema\":1", "\"schema\":0");
        assertThatThrownBy(() -> MessageJson.decode(v0.getBytes(StandardCharsets.UTF_8), TraceCompletionMessage.class))
                .satisfies(e -> assertThat(((InvalidMessageException) e).reason())
                        .isEqualTo(InvalidMessageException.Reason.UNSUPPORTED_SCHEMA));
    }

    @Test
    void aWholeNumberWrittenAsTextOrFractionIsAnInvalidField() {
        String good = new String(MessageJson.encode(hop()), StandardCharsets.UTF_8);
        for (String ttl : List.of("\"ttl\":\"2\"", "\"ttl\":2.0")) {
            String bad = good.replace("\"ttl\":2", ttl);
            assertThatThrownBy(() -> MessageJson.decode(bad.getBytes(StandardCharsets.UTF_8), HopMessage.class))
                    .satisfies(e -> assertThat(((InvalidMessageException) e).reason())
                            .isEqualTo(InvalidMessageException.Reason.INVALID_FIELD));
        }
    }

    @Test
    void completionRejectsImpossibleValues() {
        assertThatThrownBy(() -> new TraceCompletionMessage(TraceCompletionMessage.TYPE, 1, "x/end", "fra1-a", "m",
                T0, "x", "udp", "198.18.0.2", "198.18.9.9", 1, 2, T1, T0, 1, 30, 3, 60, StopReason.COMPLETED, null, 3,
                9, null, 2)).hasMessageContaining("end is before start");
        assertThatThrownBy(() -> new TraceCompletionMessage(TraceCompletionMessage.TYPE, 1, "x/end", "bad id!", "m",
                T0, "x", "udp", "198.18.0.2", "198.18.9.9", 1, 2, T0, T1, 1, 30, 3, 60, StopReason.COMPLETED, null, 3,
                9, null, 2)).hasMessageContaining("agent_id");
    }

    @Test
    void furtherRepliesToOneProbeGetTheirOwnRecordIds() {
        assertThat(HopMessage.recordId("t-1", 3, 0, 0)).isEqualTo("t-1/3/0");
        assertThat(HopMessage.recordId("t-1", 3, 0, 2)).isEqualTo("t-1/3/0/2");
        assertThat(HopMessage.isRecordIdOf("t-1/3/0", "t-1", 3, 0)).isTrue();
        assertThat(HopMessage.isRecordIdOf("t-1/3/0/2", "t-1", 3, 0)).isTrue();
        assertThat(HopMessage.isRecordIdOf("t-1/3/0/0", "t-1", 3, 0)).isFalse();
        assertThat(HopMessage.isRecordIdOf("t-1/3/0/x", "t-1", 3, 0)).isFalse();
        assertThat(HopMessage.isRecordIdOf("t-1/3/1", "t-1", 3, 0)).isFalse();
        assertThat(HopMessage.isRecordIdOf("t-1/3/01", "t-1", 3, 0)).isFalse();
    }

    @Test
    void pathKeyKeepsOnePathInOnePartition() {
        assertThat(Topics.pathKey("fra1-a", "198.18.9.9")).isEqualTo("fra1-a|198.18.9.9");
        assertThat(Topics.ALL).extracting(Topics.Spec::name).contains(Topics.HOPS, Topics.MEASUREMENTS);
    }
}
