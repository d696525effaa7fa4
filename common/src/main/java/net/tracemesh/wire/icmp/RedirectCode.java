package net.tracemesh.wire.icmp;

/** Codes of ICMP redirect (RFC 792). */
public final class RedirectCode {
    /** Redirect datagrams for the network. */
    public static final int NET = 0;
    /** Redirect datagrams for the host. */
    public static final int HOST = 1;
    /** Redirect datagrams for the type of service and network. */
    public static final int TOS_NET = 2;
    /** Redirect datagrams for the type of service and host. */
    public static final int TOS_HOST = 3;

    private RedirectCode() {
    }

    /** A readable name, or "code N" for codes not listed here. */
    public static String name(int code) {
        return switch (code) {
            case NET -> "redirect for network";
            case HOST -> "redirect for host";
            case TOS_NET -> "redirect for type of service and network";
            case TOS_HOST -> "redirect for type of service and host";
            default -> "code " + code;
        };
    }
}
