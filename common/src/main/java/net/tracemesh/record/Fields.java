package net.tracemesh.record;

import net.tracemesh.wire.Ipv4Address;

/** Validation helpers shared by the record types. */
final class Fields {
    private Fields() {
    }

    static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
        }
    }

    static void requireRange(String name, Integer value, long min, long max) {
        if (value != null) {
            requireRange(name, value.longValue(), min, max);
        }
    }

    static String requireAddress(String name, String value) {
        try {
            Ipv4Address.parse(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be a dotted IPv4 address, got " + value);
        }
    }

    static <T> T requireNonNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    static void requireNonNegative(String name, Double value) {
        if (value != null && (value.isNaN() || value < 0)) {
            throw new IllegalArgumentException(name + " must be a non-negative number, got " + value);
        }
    }
}
