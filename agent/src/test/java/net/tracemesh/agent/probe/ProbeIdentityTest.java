package net.tracemesh.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeIdentityTest {

    @Test
    void tokenRoundTripsEveryTtlProbeAndAttempt() {
        Set<Integer> seen = new HashSet<>();
        for (int ttl = 0; ttl <= 255; ttl++) {
            for (int probe = 0; probe <= ProbeIdentity.MAX_PROBE_INDEX; probe++) {
                for (int attempt = 0; attempt <= ProbeIdentity.MAX_ATTEMPT; attempt++) {
                    int token = ProbeIdentity.token(ttl, probe, attempt);
                    assertThat(token).isBetween(0, 0xFFFF);
                    assertThat(ProbeIdentity.ttl(token)).isEqualTo(ttl);
                    assertThat(ProbeIdentity.probeIndex(token)).isEqualTo(probe);
                    assertThat(ProbeIdentity.attempt(token)).isEqualTo(attempt);
                    seen.add(token);
                }
            }
        }
        assertThat(seen).hasSize(0x10000);
    }

    @Test
    void theTtlIsTheHighByteOfTheToken() {
        assertThat(ProbeIdentity.token(17, 2, 3)).isEqualTo(0x1123);
    }

    @ParameterizedTest
    @CsvSource({"-1,0,0", "256,0,0", "1,-1,0", "1,16,0", "1,0,-1", "1,0,16"})
    void tokenRefusesOutOfRangeParts(int ttl, int probe, int attempt) {
        assertThatThrownBy(() -> ProbeIdentity.token(ttl, probe, attempt))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void checkIsAlwaysIn1To0xFFFEAndDeterministic() {
        Random random = new Random(99);
        Set<Integer> values = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            int tag = random.nextInt(0x10000);
            int dst = random.nextInt();
            int token = random.nextInt(0x10000);
            int nonce = random.nextInt(0x10000);
            int check = ProbeIdentity.check(tag, dst, token, nonce);
            assertThat(check).isBetween(1, 0xFFFE);
            assertThat(ProbeIdentity.check(tag, dst, token, nonce)).isEqualTo(check);
            values.add(check);
        }
        assertThat(values).as("spread over the 16-bit space").hasSizeGreaterThan(60_000);
    }

    @Test
    void checkAtTheExtremesOfItsInputsStaysInRange() {
        int[] extremes = {0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF, -1};
        for (int tag : extremes) {
            for (int dst : extremes) {
                for (int token : extremes) {
                    for (int nonce : extremes) {
                        assertThat(ProbeIdentity.check(tag, dst, token, nonce)).isBetween(1, 0xFFFE);
                    }
                }
            }
        }
    }

    @Test
    void checkDependsOnEachInput() {
        int base = ProbeIdentity.check(40_000, 0xC6120902, 0x0100, 1);
        int differing = 0;
        for (int d = 1; d <= 100; d++) {
            differing += ProbeIdentity.check(40_000 + d, 0xC6120902, 0x0100, 1) != base ? 1 : 0;
            differing += ProbeIdentity.check(40_000, 0xC6120902 + d, 0x0100, 1) != base ? 1 : 0;
            differing += ProbeIdentity.check(40_000, 0xC6120902, 0x0100 + d, 1) != base ? 1 : 0;
            differing += ProbeIdentity.check(40_000, 0xC6120902, 0x0100, 1 + d) != base ? 1 : 0;
        }
        assertThat(differing).isGreaterThanOrEqualTo(398);
    }

    @Test
    void icmpFlowChecksumIsInRangeAndPerTrace() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            assertThat(ProbeIdentity.icmpFlowChecksum(random.nextInt(0x10000), random.nextInt(),
                    random.nextInt(0x10000))).isBetween(1, 0xFFFE);
        }
        assertThat(ProbeIdentity.icmpFlowChecksum(40_000, 0xC6120902, 1))
                .isEqualTo(ProbeIdentity.icmpFlowChecksum(40_000, 0xC6120902, 1));
    }

    @Test
    void tcpSequenceCarriesTokenAndCheck() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            int token = random.nextInt(0x10000);
            int check = 1 + random.nextInt(0xFFFE);
            long sequence = ProbeIdentity.tcpSequence(token, check);
            assertThat(sequence).isBetween(0L, 0xFFFF_FFFFL);
            assertThat(ProbeIdentity.tokenOfTcpSequence(sequence)).isEqualTo(token);
            assertThat(ProbeIdentity.checkOfTcpSequence(sequence)).isEqualTo(check);
        }
        long top = ProbeIdentity.tcpSequence(0xFFFF, 0xFFFE);
        assertThat(top).isEqualTo(0xFFFF_FFFEL);
        assertThat(ProbeIdentity.tokenOfTcpSequence(top)).isEqualTo(0xFFFF);
        assertThat(ProbeIdentity.checkOfTcpSequence(top)).isEqualTo(0xFFFE);
    }
}
