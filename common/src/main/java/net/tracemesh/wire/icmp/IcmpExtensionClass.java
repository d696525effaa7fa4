package net.tracemesh.wire.icmp;

/** Class numbers and C-types of ICMP extension objects (IANA "ICMP Extension Object Classes"). */
public final class IcmpExtensionClass {
    /** MPLS label stack (RFC 4950). */
    public static final int MPLS_LABEL_STACK = 1;
    /** C-type of the MPLS incoming label stack (RFC 4950). */
    public static final int MPLS_INCOMING_LABEL_STACK = 1;
    /** Interface information (RFC 5837). */
    public static final int INTERFACE_INFORMATION = 2;
    /** Interface identification (RFC 8335). */
    public static final int INTERFACE_IDENTIFICATION = 3;

    private IcmpExtensionClass() {
    }

    /** A readable name, or "class N". */
    public static String name(int classNum) {
        return switch (classNum) {
            case MPLS_LABEL_STACK -> "MPLS label stack";
            case INTERFACE_INFORMATION -> "interface information";
            case INTERFACE_IDENTIFICATION -> "interface identification";
            default -> "class " + classNum;
        };
    }
}
