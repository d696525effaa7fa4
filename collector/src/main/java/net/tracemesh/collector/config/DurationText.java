package net.tracemesh.collector.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in config files: one or more amounts with a unit, largest first, such as
 * {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h30m} or {@code 14d}. Units: {@code ms}, {@code s}, {@code m},
 * {@code h}, {@code d} (24 hours).
 */
public final class DurationText {
    /** What a duration looks like, for messages. */
    public static final String EXAMPLES = "a duration such as 500ms, 30s, 10m, 1h30m or 7d";
    private static final Pattern PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");
    private static final String[] UNITS = {"ms", "s", "m", "h", "d"};
    private static final long[] UNIT_MILLIS = {1, 1_000, 60_000, 3_600_000, 86_400_000};

    private DurationText() {
    }

    /**
     * Reads a duration.
     *
     * @throws IllegalArgumentException if the text is not amounts with units, largest unit first, each unit once
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected " + EXAMPLES + ", got nothing");
        }
        String t = text.strip();
        Matcher m = PART.matcher(t);
        int at = 0;
        int previousUnit = UNITS.length;
        long millis = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("expected " + EXAMPLES + ", got '" + t + "'");
            }
            int unit = unitIndex(m.group(2));
            if (unit >= previousUnit) {
                throw new IllegalArgumentException("'" + t + "': give the units largest first, each once (as in 1h30m)");
            }
            previousUnit = unit;
            try {
                millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(1)), UNIT_MILLIS[unit]));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("'" + t + "' is too long");
            }
            at = m.end();
        }
        return Duration.ofMillis(millis);
    }

    /** Writes a duration in the form {@link #parse} reads, with the fewest parts: {@code 14d}, {@code 1h30m}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder(millis < 0 ? "-" : "");
        long rest = Math.abs(millis);
        for (int unit = UNITS.length - 1; unit >= 0 && rest > 0; unit--) {
            long amount = rest / UNIT_MILLIS[unit];
            if (amount > 0) {
                out.append(amount).append(UNITS[unit]);
                rest -= amount * UNIT_MILLIS[unit];
            }
        }
        return out.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException("unit " + unit);
    }
}
