package net.tracemesh.wire.icmp;

import static net.tracemesh.wire.icmp.IcmpTestData.GATEWAY;
import static net.tracemesh.wire.icmp.IcmpTestData.icmpQuote;
import static net.tracemesh.wire.icmp.IcmpTestData.padded;
import static net.tracemesh.wire.icmp.IcmpTestData.tcpQuote;
import static net.tracemesh.wire.icmp.IcmpTestData.udpQuote;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.InternetChecksum;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every ICMP type and code, encoded and decoded back. */
class IcmpCodecRoundTripTest {

    static Stream<Arguments> messages() {
        List<IcmpMessage> all = new ArrayList<>();
        all.add(IcmpEcho.request(0x1234, 1, new byte[] {1, 2, 3, 4, 5}));
        all.add(IcmpEcho.reply(0xFFFF, 0xFFFF, new byte[0]));
        all.add(new IcmpEcho(IcmpType.ECHO_REQUEST, 0, 0, 0, new byte[1400]));
        all.add(new IcmpEcho(IcmpType.ECHO_REPLY, 0, 7, 9, new byte[] {9}));
        for (int code = UnreachableCode.NET; code <= UnreachableCode.PRECEDENCE_CUTOFF; code++) {
            if (code == UnreachableCode.FRAGMENTATION_NEEDED) {
                all.add(IcmpError.fragmentationNeeded(600, icmpQuote()));
                all.add(IcmpError.fragmentationNeeded(0, icmpQuote())); // pre-RFC 1191 router
                all.add(IcmpError.fragmentationNeeded(65535, udpQuote(548)));
            } else {
                all.add(IcmpError.unreachable(code, code % 3 == 0 ? udpQuote(0) : code % 3 == 1 ? tcpQuote()
                        : icmpQuote()));
            }
        }
        all.add(IcmpError.unreachable(42, udpQuote(3)));
        all.add(new IcmpError(IcmpType.SOURCE_QUENCH, 0, 0, 0, 0, udpQuote(0), null));
        for (int code = RedirectCode.NET; code <= RedirectCode.TOS_HOST; code++) {
            all.add(new IcmpError(IcmpType.REDIRECT, code, 0, 0, GATEWAY, udpQuote(0), null));
        }
        all.add(IcmpError.timeExceeded(TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT, udpQuote(32)));
        all.add(IcmpError.timeExceeded(TimeExceededCode.FRAGMENT_REASSEMBLY_TIME_EXCEEDED, icmpQuote()));
        all.add(IcmpError.timeExceeded(TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT,
                new QuotedDatagram(udpQuote(0).header(), new byte[0])));
        for (int code = ParameterProblemCode.POINTER_INDICATES_ERROR; code <= ParameterProblemCode.BAD_LENGTH;
             code++) {
            all.add(new IcmpError(IcmpType.PARAMETER_PROBLEM, code, 0, code == 0 ? 21 : 0, 0, tcpQuote(), null));
        }
        all.add(new IcmpTimestamp(IcmpType.TIMESTAMP, 0, 0x1234, 1, 12345678, 0, 0));
        all.add(new IcmpTimestamp(IcmpType.TIMESTAMP_REPLY, 0, 0x1234, 1, 12345678, 0x8000_0001L, 0xFFFF_FFFFL));
        all.add(new IcmpAddressMask(IcmpType.ADDRESS_MASK_REQUEST, 0, 1, 2, 0));
        all.add(new IcmpAddressMask(IcmpType.ADDRESS_MASK_REPLY, 0, 1, 2, 0xFFFFFE00));
        for (int type : new int[] {1, 9, 10, 15, 30, 42, 43, 255}) {
            all.add(new IcmpUnknown(type, type % 7, new byte[] {0, 1, 2, 3, 4, 5}));
        }
        // RFC 4884 extensions on the three extensible types
        IcmpExtensionObject mpls = IcmpExtensionCodec.encodeMplsLabelStack(List.of(
                new MplsLabelStackEntry(24001, 5, false, 254), new MplsLabelStackEntry(16, 0, true, 1)));
        IcmpExtensionObject interfaceInfo = new IcmpExtensionObject(IcmpExtensionClass.INTERFACE_INFORMATION, 0x0A,
                new byte[] {0, 0, 0, 5});
        all.add(IcmpError.timeExceeded(0, padded(udpQuote(0), 128)).withExtensions(List.of(mpls)));
        all.add(IcmpError.timeExceeded(0, padded(udpQuote(0), 256)).withExtensions(List.of(mpls, interfaceInfo)));
        all.add(IcmpError.fragmentationNeeded(1492, padded(icmpQuote(), 128)).withExtensions(List.of(mpls)));
        all.add(IcmpError.unreachable(UnreachableCode.PORT, padded(tcpQuote(), 1020))
                .withExtensions(List.of(interfaceInfo)));
        all.add(new IcmpError(IcmpType.PARAMETER_PROBLEM, 0, 0, 9, 0, padded(udpQuote(0), 132),
                List.of(mpls, new IcmpExtensionObject(200, 1, new byte[3]))));
        return all.stream().map(m -> Arguments.of(m.toString(), m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void encodesAndDecodesBack(String name, IcmpMessage message) {
        byte[] bytes = IcmpCodec.encode(message);
        assertThat(bytes).hasSize(IcmpCodec.encodedLength(message));
        assertThat(bytes[0] & 0xFF).isEqualTo(message.type());
        assertThat(bytes[1] & 0xFF).isEqualTo(message.code());
        assertThat(InternetChecksum.checksum(bytes, 0, bytes.length)).isZero();
        IcmpMessage decoded = IcmpCodec.decode(bytes, 0, bytes.length);
        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.hashCode()).isEqualTo(message.hashCode());
        assertThat(IcmpCodec.encode(decoded)).isEqualTo(bytes);

        byte[] out = new byte[bytes.length + 10];
        assertThat(IcmpCodec.encode(message, out, 7)).isEqualTo(bytes.length);
        assertThat(IcmpCodec.decode(out, 7, bytes.length)).isEqualTo(message);

        if (message instanceof IcmpError e) {
            int lengthAttribute = bytes[5] & 0xFF;
            if (e.extensions().isEmpty()) {
                if (IcmpType.isExtensible(e.type())) {
                    assertThat(lengthAttribute).isZero();
                }
            } else {
                assertThat(lengthAttribute * 4).isEqualTo(e.quoted().length());
                assertThat(bytes[8 + e.quoted().length()] & 0xFF).isEqualTo(0x20);
            }
            if (e.type() == IcmpType.DESTINATION_UNREACHABLE) {
                assertThat(Bytes.u16(bytes, 6)).isEqualTo(e.nextHopMtu());
            }
            if (e.type() == IcmpType.PARAMETER_PROBLEM) {
                assertThat(bytes[4] & 0xFF).isEqualTo(e.pointer());
            }
            if (e.type() == IcmpType.REDIRECT) {
                assertThat(Bytes.i32(bytes, 4)).isEqualTo(e.gateway());
            }
        }
    }
}
