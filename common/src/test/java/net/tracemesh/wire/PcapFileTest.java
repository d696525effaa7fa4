package net.tracemesh.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

class PcapFileTest {

    @Test
    void readsEveryCapture() {
        for (String name : Captures.NAMES) {
            List<PcapFile.Record> records = PcapFile.readCapture(name);
            assertThat(records).as(name).isNotEmpty();
            for (PcapFile.Record r : records) {
                assertThat(r.data().length).as(name).isEqualTo(r.originalLength());
                assertThat(r.timestampNanos()).as(name).isGreaterThan(1_700_000_000_000_000_000L);
            }
        }
    }

    @Test
    void readsBothByteOrdersAndNanosecondFiles() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (int magic : new int[] {0xA1B2C3D4, 0xA1B23C4D}) {
                ByteBuffer b = ByteBuffer.allocate(24 + 16 + 3).order(order);
                b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
                b.putInt(10).putInt(5).putInt(3).putInt(60).put(new byte[] {1, 2, 3});
                List<PcapFile.Record> records = PcapFile.read(b.array());
                assertThat(records).hasSize(1);
                assertThat(records.get(0).data()).containsExactly(1, 2, 3);
                assertThat(records.get(0).originalLength()).isEqualTo(60);
                long fraction = magic == 0xA1B23C4D ? 5 : 5000;
                assertThat(records.get(0).timestampNanos()).isEqualTo(10_000_000_000L + fraction);
            }
        }
    }

    @Test
    void rejectsOtherFormats() {
        assertThatThrownBy(() -> PcapFile.read(new byte[24])).hasMessageContaining("not a pcap file");
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        assertThatThrownBy(() -> PcapFile.read(b.array())).hasMessageContaining("link type 101");
    }
}
