package net.tracemesh.collector.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line options of the collector benchmark: {@code --name value} pairs, each name declared with its
 * default. An unknown name, a missing value or a value out of range ends the program with a one-line message on
 * stderr and exit status {@value #USAGE_ERROR}.
 */
final class BenchOptions {
    static final int USAGE_ERROR = 2;

    private final String program;
    private final Map<String, String> given = new TreeMap<>();
    private final Map<String, String> defaults;

    private BenchOptions(String program, Map<String, String> defaults) {
        this.program = program;
        this.defaults = defaults;
    }

    /**
     * Reads {@code args} against {@code defaults} (option name to default value, the empty string for "no default
     * value").
     */
    static BenchOptions parse(String program, String[] args, Map<String, String> defaults) {
        BenchOptions o = new BenchOptions(program, new TreeMap<>(defaults));
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!o.defaults.containsKey(name)) {
                o.usage("unknown option " + name + "; options: " + String.join(" ", o.defaults.keySet()));
            }
            if (i + 1 == args.length) {
                o.usage(name + " needs a value");
            }
            o.given.put(name, args[i + 1]);
        }
        return o;
    }

    String text(String name) {
        return given.getOrDefault(name, defaults.get(name));
    }

    /** A whole number in {@code min..max}; underscores are allowed as digit separators. */
    long number(String name, long min, long max) {
        String v = text(name);
        long n = 0;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            usage(name + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            usage(name + " must be in " + min + ".." + max + ", got " + n);
        }
        return n;
    }

    int integer(String name, int min, int max) {
        return (int) number(name, min, max);
    }

    /** A decimal number in {@code min..max}. */
    double decimal(String name, double min, double max) {
        String v = text(name);
        double d = Double.NaN;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            usage(name + " must be a number, got '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            usage(name + " must be in " + min + ".." + max + ", got " + v);
        }
        return d;
    }

    boolean flag(String name) {
        String v = text(name);
        if (!v.equals("true") && !v.equals("false")) {
            usage(name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** Ends the program: the message on stderr, exit status {@value #USAGE_ERROR}. */
    void usage(String message) {
        System.err.println(program + ": " + message);
        System.exit(USAGE_ERROR);
    }
}
