package net.tracemesh.wire.icmp;

import static net.tracemesh.wire.icmp.IcmpTestData.udpQuote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Validation of the message records, and the names and annotations of types and codes. */
class IcmpMessagesTest {

    @Test
    void recordsRejectFieldsOutOfRange() {
        assertThatThrownBy(() -> new IcmpEcho(IcmpType.TIME_EXCEEDED, 0, 0, 0, null)).hasMessageContaining("type");
        assertThatThrownBy(() -> new IcmpEcho(8, 256, 0, 0, null)).hasMessageContaining("code");
        assertThatThrownBy(() -> new IcmpEcho(8, 0, 65536, 0, null)).hasMessageContaining("identifier");
        assertThatThrownBy(() -> new IcmpEcho(8, 0, 0, -1, null)).hasMessageContaining("sequence");
        assertThatThrownBy(() -> new IcmpError(IcmpType.ECHO_REPLY, 0, 0, 0, 0, udpQuote(0), null))
                .hasMessageContaining("type");
        assertThatThrownBy(() -> new IcmpError(3, UnreachableCode.PORT, 1500, 0, 0, udpQuote(0), null))
                .hasMessageContaining("MTU");
        assertThatThrownBy(() -> new IcmpError(3, 4, 65536, 0, 0, udpQuote(0), null))
                .hasMessageContaining("nextHopMtu");
        assertThatThrownBy(() -> new IcmpError(11, 0, 0, 5, 0, udpQuote(0), null)).hasMessageContaining("pointer");
        assertThatThrownBy(() -> new IcmpError(12, 0, 0, 256, 0, udpQuote(0), null)).hasMessageContaining("pointer");
        assertThatThrownBy(() -> new IcmpError(3, 1, 0, 0, 7, udpQuote(0), null)).hasMessageContaining("gateway");
        assertThatThrownBy(() -> new IcmpError(11, 0, 0, 0, 0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new IcmpTimestamp(IcmpType.ECHO_REPLY, 0, 0, 0, 0, 0, 0))
                .hasMessageContaining("type");
        assertThatThrownBy(() -> new IcmpTimestamp(13, 0, 0, 0, 1L << 32, 0, 0)).hasMessageContaining("originate");
        assertThatThrownBy(() -> new IcmpTimestamp(13, 0, 0, 0, 0, -1, 0)).hasMessageContaining("receive");
        assertThatThrownBy(() -> new IcmpAddressMask(IcmpType.TIMESTAMP, 0, 0, 0, 0)).hasMessageContaining("type");
        assertThatThrownBy(() -> new IcmpUnknown(IcmpType.REDIRECT, 0, new byte[4])).hasMessageContaining("record");
        assertThatThrownBy(() -> new IcmpUnknown(256, 0, new byte[4])).hasMessageContaining("type");
        assertThatThrownBy(() -> new IcmpUnknown(42, 0, new byte[3])).hasMessageContaining("at least 4");
    }

    @Test
    void recordsCopyTheirBytesAndLists() {
        byte[] data = {1, 2};
        IcmpEcho echo = IcmpEcho.request(1, 2, data);
        data[0] = 9;
        echo.data()[1] = 9;
        assertThat(echo.data()).containsExactly(1, 2);
        List<IcmpExtensionObject> extensions = new ArrayList<>();
        extensions.add(new IcmpExtensionObject(2, 1, new byte[4]));
        IcmpError e = IcmpError.timeExceeded(0, udpQuote(100)).withExtensions(extensions);
        extensions.clear();
        assertThat(e.extensions()).hasSize(1);
        assertThatThrownBy(() -> e.extensions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(IcmpError.timeExceeded(0, udpQuote(0)).extensions()).isEmpty();
        assertThat(e.toString()).contains("time exceeded", "interface information");
    }

    @Test
    void typeNames() {
        assertThat(IcmpType.name(IcmpType.ECHO_REPLY)).isEqualTo("echo reply");
        assertThat(IcmpType.name(IcmpType.DESTINATION_UNREACHABLE)).isEqualTo("destination unreachable");
        assertThat(IcmpType.name(IcmpType.TIME_EXCEEDED)).isEqualTo("time exceeded");
        assertThat(IcmpType.name(IcmpType.ADDRESS_MASK_REPLY)).isEqualTo("address mask reply");
        assertThat(IcmpType.name(42)).isEqualTo("type 42");
        for (int type = 0; type < 256; type++) {
            assertThat(IcmpType.isKnown(type)).isEqualTo(!IcmpType.name(type).startsWith("type "));
            assertThat(IcmpType.isExtensible(type)).isEqualTo(type == 3 || type == 11 || type == 12);
            assertThat(IcmpType.isError(type)).isEqualTo(type == 3 || type == 4 || type == 5 || type == 11
                    || type == 12);
        }
        assertThat(TimeExceededCode.name(TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT)).isEqualTo("TTL exceeded in transit");
        assertThat(TimeExceededCode.name(2)).isEqualTo("code 2");
        assertThat(RedirectCode.name(RedirectCode.TOS_HOST)).contains("host");
        assertThat(ParameterProblemCode.name(ParameterProblemCode.MISSING_REQUIRED_OPTION)).contains("option");
        assertThat(UnreachableCode.name(UnreachableCode.ADMIN_PROHIBITED)).contains("prohibited");
        assertThat(UnreachableCode.name(16)).isEqualTo("code 16");
        for (int code = 0; code <= 15; code++) {
            assertThat(UnreachableCode.name(code)).doesNotStartWith("code ");
        }
    }

    @Test
    void tracerouteAnnotations() {
        String[] expected = {"!N", "!H", "!P", "", "!F1492", "!S", "!N", "!H", "!8", "!X", "!X", "!N", "!H", "!X",
                "!V", "!C", "!16", "!255"};
        for (int code = 0; code < expected.length; code++) {
            int c = code < 16 ? code : code == 16 ? 16 : 255;
            assertThat(UnreachableCode.tracerouteAnnotation(c, 1492)).as("code %d", c).isEqualTo(expected[code]);
        }
        assertThat(UnreachableCode.tracerouteAnnotation(UnreachableCode.FRAGMENTATION_NEEDED, 0)).isEqualTo("!F0");
    }
}
