package net.tracemesh.measurement;

/** Range checks with messages naming the JSON field. */
final class Ranges {
    private Ranges() {
    }

    static void require(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": must be " + min + ".." + max + ", got " + value);
        }
    }
}
