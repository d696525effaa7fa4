package net.tracemesh.collector;

/**
 * Hash codes for the collector's composite keys (nodes, links, per-agent sightings, traces). A record's own hash
 * code adds its fields' hash codes weighted by powers of 31, as {@code String} does with characters: dotted addresses
 * one apart in a digit, and agent ids one apart, then cancel each other out (the address ending {@code .2} seen by
 * {@code agent-22} hashes like the one ending {@code .3} seen by {@code agent-12}), and hash maps fill with colliding
 * keys. Multiplying by a large odd constant instead spreads such neighbours across the whole range.
 */
public final class KeyHash {
    /** 2^32 divided by the golden ratio, odd. */
    private static final int SPREAD = 0x9E3779B9;

    private KeyHash() {
    }

    /** The hash of a key made of a part hashing to {@code first} followed by one hashing to {@code second}. */
    public static int combine(int first, int second) {
        return first * SPREAD + second;
    }
}
