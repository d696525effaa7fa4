package net.tracemesh.record;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeFormatter;

/**
 * Formats an instant exactly as {@link DateTimeFormatter#ISO_INSTANT} does ({@code 2026-12-06T23:53:39.611091042Z}:
 * the fraction in groups of three digits, as many as it needs), straight into a character array, and reads that form
 * back. The general formatter walks a printer-parser chain per call and, parsing, fills a map of fields: either costs
 * more than the rest of a hop message. Everything else is left to it: years outside 0000..9999 (which ISO_INSTANT
 * writes with a sign), and, when parsing, any text not in the form written here (an offset, a leap second, lower
 * case, a fraction without digits...).
 */
final class IsoInstant {
    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds: the range written here. */
    private static final long FIRST_FAST_SECOND = -62_167_219_200L;
    private static final long END_FAST_SECOND = 253_402_300_800L;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

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

    /**
     * The instant written as {@code text[offset..offset+length)}, if that is {@code yyyy-MM-ddTHH:mm:ss}, then an
     * optional fraction of 1 to 9 digits, then {@code Z}, and a valid date and time of day (seconds up to 59); else
     * null, for the caller to ask {@link DateTimeFormatter#ISO_INSTANT}, which either reads it or says what is wrong.
     * For text of this form both give the same instant.
     */
    static Instant parse(char[] text, int offset, int length) {
        if (length < 20 || length > 30 || text[offset + length - 1] != 'Z') {
            return null;
        }
        int at = offset;
        int year = number(text, at, 4);
        int month = number(text, at + 5, 2);
        int day = number(text, at + 8, 2);
        int hour = number(text, at + 11, 2);
        int minute = number(text, at + 14, 2);
        int second = number(text, at + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || text[at + 4] != '-' || text[at + 7] != '-' || text[at + 10] != 'T'
                || text[at + 13] != ':' || text[at + 16] != ':' || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        int nano = 0;
        if (length > 20) {
            int fractionDigits = length - 21; // between the '.' and the 'Z'
            if (text[at + 19] != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = number(text, at + 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nano = fraction * POWERS_OF_TEN[9 - fractionDigits];
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nano);
    }

    /** The {@code width} decimal digits at {@code at} as a number, or -1 if one of them is not a digit. */
    private static int number(char[] c, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            int digit = c[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
