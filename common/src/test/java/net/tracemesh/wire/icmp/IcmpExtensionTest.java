package net.tracemesh.wire.icmp;

import static net.tracemesh.wire.icmp.IcmpTestData.fixIcmpChecksum;
import static net.tracemesh.wire.icmp.IcmpTestData.padded;
import static net.tracemesh.wire.icmp.IcmpTestData.udpQuote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Captures;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.MalformedPacketException;
import org.junit.jupiter.api.Test;

/** RFC 4884 extension structures and RFC 4950 MPLS label stacks. */
class IcmpExtensionTest {
    private static final MplsLabelStackEntry OUTER = new MplsLabelStackEntry(24001, 5, false, 254);
    private static final MplsLabelStackEntry INNER = new MplsLabelStackEntry(16, 0, true, 1);
    private static final IcmpExtensionObject MPLS = IcmpExtensionCodec.encodeMplsLabelStack(List.of(OUTER, INNER));

    /**
     * A time exceeded message written byte by byte from the RFC 4884 and RFC 4950 layouts, independently of the
     * encoder: length attribute 32 words, a 128-byte zero padded quote, the extension header, and an MPLS object
     * with two label stack entries.
     */
    private static byte[] handBuiltTimeExceededWithMpls() {
        byte[] m = new byte[8 + 128 + 4 + 12];
        m[0] = 11;
        m[5] = 32;
        byte[] quote = HexFormat.of().parseHex("4500003c12344000" + "0111abcd" + "c6120102c6120902" + "9c40829b00285a5a");
        System.arraycopy(quote, 0, m, 8, quote.length);
        int ext = 8 + 128;
        m[ext] = 0x20;
        byte[] object = HexFormat.of().parseHex("000c0101" + "05dc1afe" + "00010101");
        System.arraycopy(object, 0, m, ext + 4, object.length);
        Bytes.put16(m, ext + 2, InternetChecksum.checksum(m, ext, 16));
        return fixIcmpChecksum(m);
    }

    @Test
    void decodesHandBuiltRfc4950LabelStack() {
        byte[] m = handBuiltTimeExceededWithMpls();
        IcmpError e = (IcmpError) IcmpCodec.decode(m, 0, m.length);
        assertThat(e.type()).isEqualTo(IcmpType.TIME_EXCEEDED);
        assertThat(e.quoted().length()).isEqualTo(128);
        assertThat(e.quoted().sourcePort()).isEqualTo(40000);
        assertThat(e.quoted().destinationPort()).isEqualTo(33435);
        assertThat(e.extensions()).hasSize(1);
        IcmpExtensionObject object = e.extensions().get(0);
        assertThat(object.classNum()).isEqualTo(IcmpExtensionClass.MPLS_LABEL_STACK);
        assertThat(object.cType()).isEqualTo(IcmpExtensionClass.MPLS_INCOMING_LABEL_STACK);
        assertThat(object.isMplsLabelStack()).isTrue();
        assertThat(e.mplsLabelStack()).containsExactly(OUTER, INNER);
        assertThat(IcmpCodec.encode(e)).isEqualTo(m);
    }

    @Test
    void labelStackEntryWordLayout() {
        assertThat(OUTER.toWord()).isEqualTo(0x05DC1AFE);
        assertThat(INNER.toWord()).isEqualTo(0x00010101);
        MplsLabelStackEntry max = new MplsLabelStackEntry(0xFFFFF, 7, true, 255);
        assertThat(max.toWord()).isEqualTo(0xFFFFFFFF);
        assertThat(MplsLabelStackEntry.fromWord(0xFFFFFFFF)).isEqualTo(max);
        assertThat(MplsLabelStackEntry.fromWord(0)).isEqualTo(new MplsLabelStackEntry(0, 0, false, 0));
        for (int i = 0; i < 10_000; i++) {
            int word = i * 0x9E3779B9;
            assertThat(MplsLabelStackEntry.fromWord(word).toWord()).isEqualTo(word);
        }
        assertThatThrownBy(() -> new MplsLabelStackEntry(1 << 20, 0, false, 0)).hasMessageContaining("label");
        assertThatThrownBy(() -> new MplsLabelStackEntry(0, 8, false, 0)).hasMessageContaining("trafficClass");
        assertThatThrownBy(() -> new MplsLabelStackEntry(0, 0, false, 256)).hasMessageContaining("ttl");
    }

    @Test
    void realTimeExceededTurnedIntoAnRfc4884Message() {
        IcmpError captured = (IcmpError) IcmpCodec.decode(Captures.ipv4("time-exceeded-udp", 1).payload(), 0, 68);
        IcmpError extended = IcmpError.timeExceeded(0, padded(captured.quoted(), 128))
                .withExtensions(List.of(MPLS, new IcmpExtensionObject(IcmpExtensionClass.INTERFACE_INFORMATION,
                        0x0C, new byte[] {0, 0, 0, 2, 0, 1, 0, 0, (byte) 198, 18, 2, 1})));
        byte[] bytes = IcmpCodec.encode(extended);
        assertThat(bytes).hasSize(8 + 128 + 4 + 12 + 16);
        assertThat(bytes[5]).isEqualTo((byte) 32);
        assertThat(Arrays.copyOfRange(bytes, 8, 68)).isEqualTo(Arrays.copyOfRange(
                Captures.ipv4("time-exceeded-udp", 1).payload(), 8, 68));
        assertThat(Arrays.copyOfRange(bytes, 68, 136)).containsOnly(0);
        assertThat(InternetChecksum.checksum(bytes, 136, bytes.length - 136)).isZero();
        IcmpError decoded = (IcmpError) IcmpCodec.decode(bytes, 0, bytes.length);
        assertThat(decoded).isEqualTo(extended);
        assertThat(decoded.quoted().sourcePort()).isEqualTo(60764);
        assertThat(decoded.mplsLabelStack()).containsExactly(OUTER, INNER);
        assertThat(decoded.extensions().get(1).classNum()).isEqualTo(IcmpExtensionClass.INTERFACE_INFORMATION);
    }

    @Test
    void lengthAttributeSitsBesideTheMtuAndThePointer() {
        IcmpError frag = IcmpError.fragmentationNeeded(1480, padded(udpQuote(0), 136)).withExtensions(List.of(MPLS));
        byte[] f = IcmpCodec.encode(frag);
        assertThat(HexFormat.of().formatHex(f, 4, 8)).isEqualTo("002205c8");
        assertThat(IcmpCodec.decode(f, 0, f.length)).isEqualTo(frag);
        IcmpError param = new IcmpError(IcmpType.PARAMETER_PROBLEM, 0, 0, 21, 0, padded(udpQuote(0), 128),
                List.of(MPLS));
        byte[] p = IcmpCodec.encode(param);
        assertThat(HexFormat.of().formatHex(p, 4, 8)).isEqualTo("15200000");
        assertThat(IcmpCodec.decode(p, 0, p.length)).isEqualTo(param);
    }

    @Test
    void encoderPadsShortQuotes() {
        IcmpError e = IcmpError.timeExceeded(0, udpQuote(1)).withExtensions(List.of(MPLS));
        byte[] bytes = IcmpCodec.encode(e);
        assertThat(bytes).hasSize(8 + 128 + 4 + 12);
        IcmpError decoded = (IcmpError) IcmpCodec.decode(bytes, 0, bytes.length);
        assertThat(decoded.quoted()).isEqualTo(padded(udpQuote(1), 128));
        assertThat(decoded.extensions()).containsExactly(MPLS);
        IcmpError odd = IcmpError.timeExceeded(0, udpQuote(130)).withExtensions(List.of(MPLS));
        byte[] oddBytes = IcmpCodec.encode(odd);
        assertThat(oddBytes[5]).isEqualTo((byte) 40); // 158 bytes rounded up to 160
        assertThat(((IcmpError) IcmpCodec.decode(oddBytes, 0, oddBytes.length)).quoted().length()).isEqualTo(160);
    }

    @Test
    void decodesTheNonCompliantLegacyLayout() {
        byte[] m = handBuiltTimeExceededWithMpls();
        m[5] = 0;
        fixIcmpChecksum(m);
        IcmpError e = (IcmpError) IcmpCodec.decode(m, 0, m.length);
        assertThat(e.quoted().length()).isEqualTo(128);
        assertThat(e.mplsLabelStack()).containsExactly(OUTER, INNER);
        // RFC 4884 section 5: without a length attribute only a computed, valid checksum identifies the structure
        byte[] unchecked = m.clone();
        Bytes.put16(unchecked, 138, 0);
        fixIcmpChecksum(unchecked);
        IcmpError plain = (IcmpError) IcmpCodec.decode(unchecked, 0, unchecked.length);
        assertThat(plain.extensions()).isEmpty();
        assertThat(plain.quoted().length()).isEqualTo(m.length - 8);
    }

    @Test
    void acceptsAnUncomputedChecksumWhenTheLengthAttributeIsSet() {
        byte[] m = handBuiltTimeExceededWithMpls();
        Bytes.put16(m, 138, 0);
        fixIcmpChecksum(m);
        IcmpError e = (IcmpError) IcmpCodec.decode(m, 0, m.length);
        assertThat(e.mplsLabelStack()).containsExactly(OUTER, INNER);
    }

    @Test
    void acceptsAShortLengthAttributeWhenAValidStructureFollows() {
        // RFC 4884 asks for at least 128 bytes; a shorter field is still unambiguous when the structure verifies
        IcmpError e = IcmpError.timeExceeded(0, udpQuote(0)).withExtensions(List.of(MPLS));
        byte[] full = IcmpCodec.encode(e);
        byte[] m = new byte[8 + 28 + 16];
        System.arraycopy(full, 0, m, 0, 36);
        System.arraycopy(full, 136, m, 36, 16);
        m[5] = 7;
        fixIcmpChecksum(m);
        IcmpError decoded = (IcmpError) IcmpCodec.decode(m, 0, m.length);
        assertThat(decoded.quoted()).isEqualTo(udpQuote(0));
        assertThat(decoded.extensions()).containsExactly(MPLS);
    }

    @Test
    void invalidStructuresLeaveTheMessageWithoutExtensions() {
        byte[] good = handBuiltTimeExceededWithMpls();
        int ext = 136;
        List<byte[]> broken = List.of(
                corrupt(good, ext + 3, 0x01),       // extension checksum
                corrupt(good, ext, 0x30),           // version 1
                set16(good, ext + 4, 0),            // object length 0
                set16(good, ext + 4, 3),            // object length below its header
                set16(good, ext + 4, 13),           // object running past the end
                Arrays.copyOf(good, good.length - 2), // a partial object header at the end
                Arrays.copyOf(good, ext + 4));      // a header without objects
        for (byte[] b : broken) {
            byte[] m = b.clone();
            if (m.length == good.length - 2 || m.length == ext + 4) {
                Bytes.put16(m, ext + 2, 0); // an uncomputed checksum, so that only the layout is wrong
            }
            fixIcmpChecksum(m);
            IcmpError e = (IcmpError) IcmpCodec.decode(m, 0, m.length);
            assertThat(e.extensions()).isEmpty();
            assertThat(e.mplsLabelStack()).isEmpty();
            assertThat(e.quoted().length()).isEqualTo(m.length - 8);
            assertThat(e.quoted().sourcePort()).isEqualTo(40000);
        }
    }

    @Test
    void lengthAttributeLongerThanTheMessageIsIgnored() {
        for (int words : new int[] {37, 38, 200, 255}) {
            byte[] m = handBuiltTimeExceededWithMpls();
            m[5] = (byte) words;
            fixIcmpChecksum(m);
            IcmpError e = (IcmpError) IcmpCodec.decode(m, 0, m.length);
            assertThat(e.extensions()).isEmpty();
            assertThat(e.quoted().length()).isEqualTo(m.length - 8);
        }
    }

    @Test
    void sourceQuenchAndRedirectNeverCarryExtensions() {
        byte[] m = handBuiltTimeExceededWithMpls();
        m[0] = (byte) IcmpType.SOURCE_QUENCH;
        m[5] = 0;
        fixIcmpChecksum(m);
        IcmpError e = (IcmpError) IcmpCodec.decode(m, 0, m.length);
        assertThat(e.extensions()).isEmpty();
        assertThat(e.quoted().length()).isEqualTo(m.length - 8);
        assertThatThrownBy(() -> new IcmpError(IcmpType.REDIRECT, 0, 0, 0, 1, udpQuote(0), List.of(MPLS)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IcmpError(IcmpType.SOURCE_QUENCH, 0, 0, 0, 0, udpQuote(0), List.of(MPLS)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensionCodecOnItsOwn() {
        byte[] structure = IcmpExtensionCodec.encode(List.of(MPLS));
        assertThat(HexFormat.of().formatHex(structure)).startsWith("2000").endsWith("000c010105dc1afe00010101");
        assertThat(IcmpExtensionCodec.decode(structure, 0, structure.length)).containsExactly(MPLS);
        assertThat(IcmpExtensionCodec.decodeMplsLabelStack(MPLS)).containsExactly(OUTER, INNER);
        IcmpExtensionObject ragged = new IcmpExtensionObject(1, 1, new byte[] {0, 1, 1, 1, 9, 9});
        assertThat(IcmpExtensionCodec.decodeMplsLabelStack(ragged)).containsExactly(INNER);
        structure[3] ^= 1;
        assertThatThrownBy(() -> IcmpExtensionCodec.decode(structure, 0, structure.length))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> IcmpExtensionCodec.encode(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IcmpExtensionObject(1, 1, new byte[65532]))
                .isInstanceOf(IllegalArgumentException.class);
        IcmpError other = IcmpError.timeExceeded(0, padded(udpQuote(0), 128))
                .withExtensions(List.of(new IcmpExtensionObject(1, 2, new byte[4])));
        assertThat(other.mplsLabelStack()).isEmpty();
        IcmpError two = other.withExtensions(List.of(MPLS, IcmpExtensionCodec.encodeMplsLabelStack(List.of(INNER))));
        assertThat(two.mplsLabelStack()).containsExactly(OUTER, INNER, INNER);
    }

    @Test
    void quoteTooLongForTheLengthAttributeCannotCarryExtensions() {
        IcmpError e = IcmpError.timeExceeded(0, udpQuote(1000)).withExtensions(List.of(MPLS));
        assertThatThrownBy(() -> IcmpCodec.encode(e)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1020");
    }

    private static byte[] corrupt(byte[] b, int at, int xor) {
        byte[] c = b.clone();
        c[at] ^= (byte) xor;
        return c;
    }

    private static byte[] set16(byte[] b, int at, int value) {
        byte[] c = b.clone();
        Bytes.put16(c, at, value);
        // keep the extension checksum valid so that only the object layout is wrong
        Bytes.put16(c, 138, 0);
        Bytes.put16(c, 138, InternetChecksum.checksum(c, 136, c.length - 136));
        return c;
    }
}
