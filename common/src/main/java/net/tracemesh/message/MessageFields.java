package net.tracemesh.message;

import java.time.Instant;
import net.tracemesh.wire.Ipv4Address;

/** Validation shared by the message records. */
final class MessageFields {
    private MessageFields() {
    }

    static String requireId(String name, String value) {
        requireText(name, value);
        if (!isId(value)) {
            throw new IllegalArgumentException(name + " must be 1..64 letters, digits, '.', '_' or '-' starting with"
                    + " a letter or digit, got \"" + value + "\"");
        }
        return value;
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, without a regular expression: it runs for every message. */
    static boolean isId(String value) {
        int n = value.length();
        if (n == 0 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** The fields every message of a measurement round starts with. */
    static void requireRoundEnvelope(String expectedType, String type, int schema, String recordId, String agentId,
                                     String measurementId, Instant roundStart) {
        requireType(expectedType, type);
        requireSchema(schema);
        requireText("record_id", recordId);
        requireId("agent_id", agentId);
        requireId("measurement_id", measurementId);
        requireNonNull("round_start", roundStart);
    }

    /** The fields that identify one trace's path: trace id, method, addresses and ports. */
    static void requirePath(String traceId, String method, String src, String dst, Integer sport, Integer dport) {
        requireText("trace_id", traceId);
        requireText("method", method);
        requireAddress("src", src);
        requireAddress("dst", dst);
        requireRange("sport", sport, 0, 65535);
        requireRange("dport", dport, 0, 65535);
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
