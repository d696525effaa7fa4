package net.tracemesh.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.tracemesh.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

class MalformedPacketExceptionTest {

    @Test
    void carriesReasonAndNoStackTrace() {
        MalformedPacketException e = new MalformedPacketException(Reason.BAD_CHECKSUM, "ICMP checksum");
        assertThat(e.reason()).isEqualTo(Reason.BAD_CHECKSUM);
        assertThat(e.getMessage()).isEqualTo("not a valid packet: ICMP checksum");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e).isInstanceOf(RuntimeException.class);
        e.addSuppressed(new RuntimeException());
        assertThat(e.getSuppressed()).isEmpty();
    }

    @Test
    void rangeCheckRejectsEveryImpossibleRange() {
        byte[] b = new byte[10];
        for (int[] range : new int[][] {{-1, 1}, {0, -1}, {0, 11}, {11, 0}, {5, 6}, {Integer.MAX_VALUE, 1},
                {1, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 0}}) {
            assertThatThrownBy(() -> Bytes.checkRange(b, range[0], range[1]))
                    .isInstanceOfSatisfying(MalformedPacketException.class,
                            x -> assertThat(x.reason()).isEqualTo(Reason.TRUNCATED));
        }
        assertThatThrownBy(() -> Bytes.checkRange(null, 0, 0))
                .isInstanceOf(MalformedPacketException.class);
        Bytes.checkRange(b, 10, 0);
        Bytes.checkRange(b, 0, 10);
    }
}
