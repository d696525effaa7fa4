package net.tracemesh.message;

import java.util.regex.Pattern;
import net.tracemesh.wire.Ipv4Address;

/** Validation shared by the message records. */
final class MessageFields {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private MessageFields() {
    }

    static String requireId(String name, String value) {
        requireText(name, value);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 1..64 letters, digits, '.', '_' or '-' starting with"
                    + " a letter or digit, got \"" + value + "\"");
        }
        return value;
    }

    static String requireText(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    static <T> T requireNonNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    static void requireSchema(int schema) {
        if (schema != MessageJson.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schema " + schema + " is not supported (this build reads "
                    + MessageJson.SCHEMA_VERSION + ")");
        }
    }

    static void requireType(String expected, String type) {
        if (!expected.equals(type)) {
            throw new IllegalArgumentException("type must be \"" + expected + "\", got " + type);
        }
    }

    static String requireAddress(String name, String value) {
        requireText(name, value);
        try {
            Ipv4Address.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be a dotted IPv4 address, got " + value);
        }
        return value;
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
}
