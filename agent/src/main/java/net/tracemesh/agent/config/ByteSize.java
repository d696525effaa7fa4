package net.tracemesh.agent.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes as people write them: a plain number ({@code 268435456}), or a whole number with a unit, binary
 * ({@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}: powers of 1024) or decimal ({@code KB}, {@code MB},
 * {@code GB}, {@code TB}: powers of 1000), or {@code B}. Units are case-insensitive; a space before the unit is
 * allowed ({@code 256 MiB}).
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.of(
            "", 1L, "b", 1L,
            "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30, "tib", 1L << 40,
            "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L, "tb", 1_000_000_000_000L);

    private ByteSize() {
    }

    /**
     * The number of bytes {@code text} means.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (a whole number, optionally with a unit"
                    + " such as 256MiB or 500MB)");
        }
        Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2)
                    + "' (known: B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}
