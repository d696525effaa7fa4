package net.tracemesh.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import net.tracemesh.measurement.DefinitionVerifier.Outcome;
import org.junit.jupiter.api.Test;

class DefinitionVerifierTest {
    private static final KeyPair CENTRAL = DefinitionSigning.generateKeyPair();
    private static final KeyPair OTHER = DefinitionSigning.generateKeyPair();
    private static final byte[] V1 = "{\"id\":\"m1\",\"v\":1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] V2 = "{\"id\":\"m1\",\"v\":2}".getBytes(StandardCharsets.UTF_8);
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void signedRecordsInOrderAreAcceptedAndTheirTimeKept() {
        DefinitionVerifier v = new DefinitionVerifier(CENTRAL.getPublic(), false);
        assertThat(v.trustedKeyId()).isEqualTo(DefinitionSigning.keyId(CENTRAL.getPublic()));
        assertThat(check(v, "m1", V1, signed(CENTRAL, "m1", V1, T))).isEqualTo(Outcome.VERIFIED);
        assertThat(check(v, "m1", V2, signed(CENTRAL, "m1", V2, T.plusSeconds(1)))).isEqualTo(Outcome.VERIFIED);
        assertThat(v.newestSignedAt("m1")).contains(T.plusSeconds(1));
        assertThat(check(v, "m1", null, signed(CENTRAL, "m1", null, T.plusSeconds(2)))).as("signed deletion")
                .isEqualTo(Outcome.VERIFIED);
        assertThat(check(v, "m1", V1, signed(CENTRAL, "m1", V1, T.plusSeconds(3)))).as("defined again")
                .isEqualTo(Outcome.VERIFIED);
        assertThat(check(v, "m1", V1, signed(CENTRAL, "m1", V1, T.plusSeconds(3)))).as("the same record again")
                .isEqualTo(Outcome.VERIFIED);
    }

    @Test
    void unsignedTamperedForeignAndReplayedRecordsAreRefused() {
        DefinitionVerifier v = new DefinitionVerifier(CENTRAL.getPublic(), false);
        Map<String, byte[]> v1 = signed(CENTRAL, "m1", V1, T);
        assertThat(check(v, "m1", V1, Map.of())).isEqualTo(Outcome.UNSIGNED);
        assertThat(check(v, "m1", null, Map.of())).as("unsigned deletion").isEqualTo(Outcome.UNSIGNED);
        assertThat(check(v, "m1", V2, v1)).as("value changed").isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(check(v, "m2", V1, v1)).as("moved to another key").isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(check(v, "m1", null, v1)).as("made a deletion").isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(check(v, null, V1, v1)).isEqualTo(Outcome.MALFORMED);
        Map<String, byte[]> later = new HashMap<>(v1);
        later.put(DefinitionSigning.SIGNED_AT_HEADER, "1900000000000".getBytes(StandardCharsets.US_ASCII));
        assertThat(check(v, "m1", V1, later)).as("time changed").isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(check(v, "m1", V1, signed(OTHER, "m1", V1, T))).isEqualTo(Outcome.UNKNOWN_KEY);
        Map<String, byte[]> wrongId = new HashMap<>(signed(OTHER, "m1", V1, T));
        wrongId.put(DefinitionSigning.KEY_ID_HEADER, v1.get(DefinitionSigning.KEY_ID_HEADER));
        assertThat(check(v, "m1", V1, wrongId)).as("another key claiming the trusted id")
                .isEqualTo(Outcome.BAD_SIGNATURE);
        Map<String, byte[]> partial = new HashMap<>(v1);
        partial.remove(DefinitionSigning.SIGNATURE_HEADER);
        DefinitionVerifier.Verdict verdict = v.check("m1", V1, partial::get);
        assertThat(verdict.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(verdict.reason()).contains(DefinitionSigning.SIGNATURE_HEADER);
        assertThat(v.newestSignedAt("m1")).as("nothing refused counts").isEmpty();

        assertThat(check(v, "m1", V2, signed(CENTRAL, "m1", V2, T.plusSeconds(10)))).isEqualTo(Outcome.VERIFIED);
        verdict = v.check("m1", V1, v1::get);
        assertThat(verdict.outcome()).isEqualTo(Outcome.REPLAYED);
        assertThat(verdict.reason()).contains("replayed");
        assertThat(check(v, "m1", null, signed(CENTRAL, "m1", null, T.plusSeconds(5)))).as("old deletion")
                .isEqualTo(Outcome.REPLAYED);
        assertThat(check(v, "m2", V1, signed(CENTRAL, "m2", V1, T))).as("other ids have their own time")
                .isEqualTo(Outcome.VERIFIED);
    }

    @Test
    void acceptUnsignedTakesRecordsWithoutSignatureButStillChecksSignedOnes() {
        DefinitionVerifier v = new DefinitionVerifier(CENTRAL.getPublic(), true);
        assertThat(check(v, "m1", V1, Map.of())).isEqualTo(Outcome.ACCEPTED_UNSIGNED);
        assertThat(check(v, "m1", V1, signed(OTHER, "m1", V1, T))).isEqualTo(Outcome.UNKNOWN_KEY);
        assertThat(check(v, "m1", V1, signed(CENTRAL, "m1", V1, T))).isEqualTo(Outcome.VERIFIED);

        DefinitionVerifier keyless = new DefinitionVerifier(null, true);
        assertThat(keyless.trustedKeyId()).isNull();
        assertThat(check(keyless, "m1", V1, Map.of())).isEqualTo(Outcome.ACCEPTED_UNSIGNED);
        assertThat(check(keyless, "m1", V1, signed(OTHER, "m1", V1, T))).isEqualTo(Outcome.ACCEPTED_UNSIGNED);
    }

    @Test
    void withoutKeyNothingIsAccepted() {
        DefinitionVerifier v = new DefinitionVerifier(null, false);
        assertThat(check(v, "m1", V1, Map.of())).isEqualTo(Outcome.NO_KEY);
        assertThat(check(v, "m1", V1, signed(CENTRAL, "m1", V1, T))).isEqualTo(Outcome.NO_KEY);
    }

    private static Outcome check(DefinitionVerifier v, String key, byte[] value, Map<String, byte[]> headers) {
        DefinitionVerifier.Verdict verdict = v.check(key, value, headers::get);
        assertThat(verdict.accepted()).isEqualTo(verdict.outcome().accepted());
        assertThat(verdict.reason() == null).isEqualTo(verdict.accepted());
        return verdict.outcome();
    }

    private static Map<String, byte[]> signed(KeyPair pair, String key, byte[] value, Instant at) {
        return DefinitionSigning.sign(pair, key, value, at).headers();
    }
}
