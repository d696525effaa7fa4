package net.tracemesh.measurement;

import net.tracemesh.wire.Ipv4Address;

/**
 * An IPv4 prefix: a network address with its host bits zero and a length 0..32. A single address is a /32.
 * Address ranges compare as unsigned numbers ({@code 200.0.0.0} is above {@code 10.0.0.0}).
 *
 * @param network the first address of the prefix, host bits zero
 * @param length  prefix length, 0..32
 */
public record Ipv4Prefix(int network, int length) {
    /** The longest prefix: one address. */
    public static final int MAX_LENGTH = 32;

    public Ipv4Prefix {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("prefix length must be 0..32, got " + length);
        }
        if ((network & ~mask(length)) != 0) {
            throw new IllegalArgumentException("'" + Ipv4Address.format(network) + "/" + length
                    + "' has host bits set (the network is " + Ipv4Address.format(network & mask(length)) + "/"
                    + length + ")");
        }
    }

    /**
     * Parses a dotted address ({@code 198.18.1.1}, a /32) or prefix ({@code 198.18.0.0/15}). The length is
     * decimal without sign or leading zeros, and the host bits must be zero.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Ipv4Prefix parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an address or prefix is missing (null)");
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        int network;
        try {
            network = Ipv4Address.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(notAPrefix(text, hint(address)));
        }
        if (slash < 0) {
            return new Ipv4Prefix(network, MAX_LENGTH);
        }
        String lengthText = text.substring(slash + 1);
        if (!lengthText.matches("0|[1-9][0-9]?") || Integer.parseInt(lengthText) > MAX_LENGTH) {
            throw new IllegalArgumentException(notAPrefix(text, "the prefix length must be a number 0..32"));
        }
        int length = Integer.parseInt(lengthText);
        if ((network & ~mask(length)) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set (the network is "
                    + Ipv4Address.format(network & mask(length)) + "/" + length + ")");
        }
        return new Ipv4Prefix(network, length);
    }

    private static String notAPrefix(String text, String why) {
        return "'" + text + "' is not an IPv4 address or prefix (" + why + ")";
    }

    private static String hint(String address) {
        if (!address.isEmpty() && address.chars().anyMatch(Character::isLetter)
                && address.chars().noneMatch(c -> c == ':')) {
            return "host names are not resolved for scheduled measurements";
        }
        return "expected four numbers 0-255 like 198.18.0.1, optionally followed by /length";
    }

    /** The netmask of a prefix length as an int ({@code /24} is {@code 0xFFFFFF00}; {@code /0} is 0). */
    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (MAX_LENGTH - length);
    }

    /** The first address (the network address). */
    public int first() {
        return network;
    }

    /** The last address (the broadcast address for prefixes shorter than /31). */
    public int last() {
        return network | ~mask(length);
    }

    /** How many addresses the prefix spans, 1..2^32. */
    public long addressCount() {
        return 1L << (MAX_LENGTH - length);
    }

    /** Whether {@code address} is in this prefix. */
    public boolean contains(int address) {
        return (address & mask(length)) == network;
    }

    /** Whether the two prefixes share at least one address (one of them then contains the other). */
    public boolean overlaps(Ipv4Prefix other) {
        int shorter = Math.min(length, other.length);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    /** {@code a.b.c.d/len}. */
    @Override
    public String toString() {
        return Ipv4Address.format(network) + "/" + length;
    }
}
