package net.tracemesh.wire.icmp;

import net.tracemesh.wire.Bytes;

/**
 * An address mask request or reply (RFC 950).
 *
 * @param type       {@link IcmpType#ADDRESS_MASK_REQUEST} or {@link IcmpType#ADDRESS_MASK_REPLY}
 * @param code       code, 0..255
 * @param identifier identifier, 0..65535
 * @param sequence   sequence number, 0..65535
 * @param mask       the address mask (0 in requests)
 */
public record IcmpAddressMask(int type, int code, int identifier, int sequence, int mask) implements IcmpMessage {

    public IcmpAddressMask {
        if (type != IcmpType.ADDRESS_MASK_REQUEST && type != IcmpType.ADDRESS_MASK_REPLY) {
            throw new IllegalArgumentException("an address mask message has type 17 or 18, got " + type);
        }
        Bytes.checkUnsigned("code", code, 0xFF);
        Bytes.checkUnsigned("identifier", identifier, 0xFFFF);
        Bytes.checkUnsigned("sequence", sequence, 0xFFFF);
    }
}
