package net.tracemesh.wire.icmp;

import net.tracemesh.wire.Bytes;

/**
 * A timestamp request or reply (RFC 792). Times are milliseconds since midnight UT, or any value with the high
 * bit set when the sender has no standard time.
 *
 * @param type       {@link IcmpType#TIMESTAMP} or {@link IcmpType#TIMESTAMP_REPLY}
 * @param code       code, 0..255
 * @param identifier identifier, 0..65535
 * @param sequence   sequence number, 0..65535
 * @param originate  originate timestamp, 0..2^32-1
 * @param receive    receive timestamp, 0..2^32-1
 * @param transmit   transmit timestamp, 0..2^32-1
 */
public record IcmpTimestamp(int type, int code, int identifier, int sequence, long originate, long receive,
                            long transmit) implements IcmpMessage {

    public IcmpTimestamp {
        if (type != IcmpType.TIMESTAMP && type != IcmpType.TIMESTAMP_REPLY) {
            throw new IllegalArgumentException("a timestamp message has type 13 or 14, got " + type);
        }
        Bytes.checkUnsigned("code", code, 0xFF);
        Bytes.checkUnsigned("identifier", identifier, 0xFFFF);
        Bytes.checkUnsigned("sequence", sequence, 0xFFFF);
        Bytes.checkUnsigned32("originate", originate);
        Bytes.checkUnsigned32("receive", receive);
        Bytes.checkUnsigned32("transmit", transmit);
    }
}
