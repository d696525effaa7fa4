package net.tracemesh.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.tracemesh.agent.config.DefinitionsConfig;
import net.tracemesh.agent.publish.Outgoing;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.Topics;
import org.junit.jupiter.api.Test;

/**
 * {@link DefinitionGate} with a recording scheduler and message sink: only definitions signed by the central key
 * reach the scheduler; unsigned, tampered, foreign and replayed ones are ignored, counted and reported.
 */
class DefinitionGateTest {
    private static final KeyPair CENTRAL = DefinitionSigning.generateKeyPair();
    private static final KeyPair OTHER = DefinitionSigning.generateKeyPair();
    private static final AgentIdentity IDENTITY = new AgentIdentity("agent-a", "Paris", "0.1.0", Instant.now(),
            "run1");
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    private final List<String> passed = new ArrayList<>();
    private final List<Outgoing> published = new ArrayList<>();
    private final AtomicReference<Instant> now = new AtomicReference<>(T);

    private DefinitionGate gate(DefinitionsConfig config) {
        return new DefinitionGate(config, IDENTITY, published::add,
                (key, value) -> passed.add(key + "=" + (value == null ? "deleted" : text(value))), now::get);
    }

    private static DefinitionsConfig trusting(KeyPair pair) {
        return new DefinitionsConfig(Path.of("central.pub.pem"), pair.getPublic(), false);
    }

    @Test
    void signedDefinitionsAndDeletionsPassInOrder() {
        DefinitionGate gate = gate(trusting(CENTRAL));
        send(gate, "m1", "v1", signed(CENTRAL, "m1", "v1", T));
        send(gate, "m1", "v2", signed(CENTRAL, "m1", "v2", T.plusSeconds(1)));
        send(gate, "m1", null, signed(CENTRAL, "m1", null, T.plusSeconds(2)));
        assertThat(passed).containsExactly("m1=v1", "m1=v2", "m1=deleted");
        assertThat(published).isEmpty();
        assertThat(gate.unverified()).isZero();
    }

    @Test
    void unsignedTamperedForeignAndReplayedDefinitionsAreIgnoredAndReported() {
        DefinitionGate gate = gate(trusting(CENTRAL));
        Map<String, byte[]> old = signed(CENTRAL, "m1", "v1", T);
        send(gate, "m1", "v1", old);
        send(gate, "m1", "v2", signed(CENTRAL, "m1", "v2", T.plusSeconds(5)));
        passed.clear();

        send(gate, "m1", "evil", Map.of());
        send(gate, "m1", "evil", signed(CENTRAL, "m1", "v2", T.plusSeconds(6)));
        send(gate, "m1", "evil", signed(OTHER, "m1", "evil", T.plusSeconds(7)));
        send(gate, "m1", "v1", old);
        send(gate, "m1", null, Map.of());
        send(gate, "bad key\n", "v1", Map.of());

        assertThat(passed).as("nothing reaches the scheduler").isEmpty();
        assertThat(gate.unverified()).isEqualTo(6);
        List<AgentErrorMessage> errors = errors();
        assertThat(errors).extracting(AgentErrorMessage::kind).containsOnly(DefinitionGate.KIND);
        assertThat(errors).extracting(AgentErrorMessage::measurementId)
                .containsExactly("m1", "m1", "m1", "m1", "m1", null);
        assertThat(errors).extracting(AgentErrorMessage::message).satisfiesExactly(
                m -> assertThat(m).isEqualTo("measurement definition 'm1' ignored: the record is not signed"),
                m -> assertThat(m).contains("the signature does not match the record"),
                m -> assertThat(m).contains("signed by key " + DefinitionSigning.keyId(OTHER.getPublic())),
                m -> assertThat(m).contains("replayed"),
                m -> assertThat(m).startsWith("deletion of measurement 'm1' ignored: the record is not signed"),
                m -> assertThat(m).startsWith("measurement definition 'bad key?' ignored"));
        assertThat(errors).extracting(AgentErrorMessage::recordId).doesNotHaveDuplicates();
        assertThat(published).allSatisfy(o -> {
            assertThat(o.topic()).isEqualTo(Topics.ERRORS);
            assertThat(o.key()).isEqualTo("agent-a");
        });

        // The newest signed version still passes after all that.
        send(gate, "m1", "v3", signed(CENTRAL, "m1", "v3", T.plusSeconds(8)));
        assertThat(passed).containsExactly("m1=v3");
    }

    @Test
    void withoutKeyOnlyAcceptUnsignedLetsDefinitionsThrough() {
        DefinitionGate open = gate(new DefinitionsConfig(null, null, true));
        send(open, "m1", "v1", Map.of());
        send(open, "m1", null, Map.of());
        assertThat(passed).containsExactly("m1=v1", "m1=deleted");

        passed.clear();
        DefinitionGate closed = gate(DefinitionsConfig.NONE);
        send(closed, "m1", "v1", signed(CENTRAL, "m1", "v1", T));
        assertThat(passed).isEmpty();
        assertThat(errors()).singleElement().extracting(AgentErrorMessage::message).asString()
                .contains("no public key is configured");
    }

    @Test
    void reportsAreRateLimitedAndTheNextOneSaysHowManyWereLeftOut() {
        DefinitionGate gate = gate(trusting(CENTRAL));
        int flood = DefinitionGate.REPORTS_PER_WINDOW + 5;
        for (int i = 0; i < flood; i++) {
            send(gate, "m" + i, "x", Map.of());
        }
        assertThat(gate.unverified()).isEqualTo(flood);
        assertThat(errors()).hasSize(DefinitionGate.REPORTS_PER_WINDOW);

        now.set(T.plus(DefinitionGate.WINDOW));
        send(gate, "late", "x", Map.of());
        assertThat(errors()).hasSize(DefinitionGate.REPORTS_PER_WINDOW + 1);
        assertThat(errors().get(DefinitionGate.REPORTS_PER_WINDOW).message())
                .endsWith("(5 more unverified definitions were not reported before this one)");
        assertThat(errors().get(DefinitionGate.REPORTS_PER_WINDOW).time()).isEqualTo(T.plus(DefinitionGate.WINDOW));
    }

    private List<AgentErrorMessage> errors() {
        return published.stream().map(o -> (AgentErrorMessage) o.message()).toList();
    }

    private static void send(DefinitionGate gate, String key, String value, Map<String, byte[]> headers) {
        gate.record(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), new HashMap<>(headers)::get);
    }

    private static Map<String, byte[]> signed(KeyPair pair, String key, String value, Instant at) {
        return DefinitionSigning.sign(pair, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), at)
                .headers();
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
