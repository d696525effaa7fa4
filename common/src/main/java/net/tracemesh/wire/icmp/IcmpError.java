package net.tracemesh.wire.icmp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Ipv4Address;

/**
 * An ICMP error: destination unreachable, source quench, redirect, time exceeded or parameter problem, with the
 * start of the datagram that caused it and any RFC 4884 extension objects.
 *
 * @param type       {@link IcmpType#DESTINATION_UNREACHABLE}, {@link IcmpType#SOURCE_QUENCH},
 *                   {@link IcmpType#REDIRECT}, {@link IcmpType#TIME_EXCEEDED} or
 *                   {@link IcmpType#PARAMETER_PROBLEM}
 * @param code       code, 0..255
 * @param nextHopMtu next-hop MTU of RFC 1191, 0..65535; only for fragmentation needed (type 3, code 4), else 0
 * @param pointer    offset of the octet in error, 0..255; only for parameter problem, else 0
 * @param gateway    gateway address; only for redirect, else 0
 * @param quoted     the quoted datagram
 * @param extensions RFC 4884 extension objects (types 3, 11 and 12 only); empty when none or when the extension
 *                   structure was not valid (null means none)
 */
public record IcmpError(int type, int code, int nextHopMtu, int pointer, int gateway, QuotedDatagram quoted,
                        List<IcmpExtensionObject> extensions) implements IcmpMessage {

    public IcmpError {
        if (!IcmpType.isError(type)) {
            throw new IllegalArgumentException("an ICMP error has type 3, 4, 5, 11 or 12, got " + type);
        }
        Bytes.checkUnsigned("code", code, 0xFF);
        Bytes.checkUnsigned("nextHopMtu", nextHopMtu, 0xFFFF);
        if (nextHopMtu != 0 && !(type == IcmpType.DESTINATION_UNREACHABLE
                && code == UnreachableCode.FRAGMENTATION_NEEDED)) {
            throw new IllegalArgumentException("only fragmentation needed (type 3, code 4) has a next-hop MTU");
        }
        Bytes.checkUnsigned("pointer", pointer, 0xFF);
        if (pointer != 0 && type != IcmpType.PARAMETER_PROBLEM) {
            throw new IllegalArgumentException("only parameter problem (type 12) has a pointer");
        }
        if (gateway != 0 && type != IcmpType.REDIRECT) {
            throw new IllegalArgumentException("only redirect (type 5) has a gateway");
        }
        Objects.requireNonNull(quoted, "quoted");
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        if (!extensions.isEmpty() && !IcmpType.isExtensible(type)) {
            throw new IllegalArgumentException("only types 3, 11 and 12 carry RFC 4884 extensions, got " + type);
        }
    }

    /** Time exceeded with {@code code} ({@link TimeExceededCode}). */
    public static IcmpError timeExceeded(int code, QuotedDatagram quoted) {
        return new IcmpError(IcmpType.TIME_EXCEEDED, code, 0, 0, 0, quoted, List.of());
    }

    /** Destination unreachable with {@code code} ({@link UnreachableCode}), other than fragmentation needed. */
    public static IcmpError unreachable(int code, QuotedDatagram quoted) {
        return new IcmpError(IcmpType.DESTINATION_UNREACHABLE, code, 0, 0, 0, quoted, List.of());
    }

    /** Fragmentation needed with the next-hop MTU. */
    public static IcmpError fragmentationNeeded(int nextHopMtu, QuotedDatagram quoted) {
        return new IcmpError(IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.FRAGMENTATION_NEEDED, nextHopMtu, 0,
                0, quoted, List.of());
    }

    /** This error with other extension objects. */
    public IcmpError withExtensions(List<IcmpExtensionObject> newExtensions) {
        return new IcmpError(type, code, nextHopMtu, pointer, gateway, quoted, newExtensions);
    }

    /**
     * The MPLS label stack entries (RFC 4950) of every MPLS incoming-label-stack extension object, top of stack
     * first; empty when there is none. Bytes after the last whole 4-byte entry are ignored.
     */
    public List<MplsLabelStackEntry> mplsLabelStack() {
        List<MplsLabelStackEntry> entries = null;
        for (IcmpExtensionObject object : extensions) {
            if (object.isMplsLabelStack()) {
                if (entries == null) {
                    entries = new ArrayList<>();
                }
                entries.addAll(IcmpExtensionCodec.decodeMplsLabelStack(object));
            }
        }
        return entries == null ? List.of() : List.copyOf(entries);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("IcmpError[").append(IcmpType.name(type)).append(", code ").append(code);
        if (nextHopMtu != 0) {
            sb.append(", mtu ").append(nextHopMtu);
        }
        if (type == IcmpType.PARAMETER_PROBLEM) {
            sb.append(", pointer ").append(pointer);
        }
        if (type == IcmpType.REDIRECT) {
            sb.append(", gateway ").append(Ipv4Address.format(gateway));
        }
        sb.append(", ").append(quoted);
        if (!extensions.isEmpty()) {
            sb.append(", ").append(extensions);
        }
        return sb.append(']').toString();
    }
}
