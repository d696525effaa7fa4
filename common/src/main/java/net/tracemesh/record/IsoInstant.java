package net.tracemesh.record;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Formats an instant exactly as {@link DateTimeFormatter#ISO_INSTANT} does ({@code 2026-12-06T23:53:39.611091042Z}:
 * the fraction in groups of three digits, as many as it needs), straight into a character array. The general formatter
 * walks a printer-parser chain per call, which costs more than the rest of a hop message; years outside 0000..9999
 * (which ISO_INSTANT writes with a sign) are left to it.
 */
final class IsoInstant {
    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds: the range written here. */
    private static final long FIRST_FAST_SECOND = -62_167_219_200L;
    private static final long END_FAST_SECOND = 253_402_300_800L;

    private IsoInstant() {
    }

    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_FAST_SECOND || seconds >= END_FAST_SECOND) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        int nano = instant.getNano();
        char[] c = new char[30];
        digits(c, 0, date.getYear(), 4);
        c[4] = '-';
        digits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        digits(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, secondOfDay % 60, 2);
        int end = 19;
        if (nano != 0) {
            c[end++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(c, end, nano / 1_000_000, 3);
                end += 3;
            } else if (nano % 1000 == 0) {
                digits(c, end, nano / 1000, 6);
                end += 6;
            } else {
                digits(c, end, nano, 9);
                end += 9;
            }
        }
        c[end++] = 'Z';
        return new String(c, 0, end);
    }

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
