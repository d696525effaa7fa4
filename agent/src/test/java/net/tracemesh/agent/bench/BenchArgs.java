package net.tracemesh.agent.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of the benchmark tools, checked against the names a tool knows. A bad
 * option ends the tool with one line on stderr and exit status 2.
 */
final class BenchArgs {
    static final int EXIT_USAGE = 2;

    private final String tool;
    private final Map<String, String> values = new HashMap<>();

    private BenchArgs(String tool) {
        this.tool = tool;
    }

    /** Parses {@code args}; every option takes a value and must be one of {@code known}. */
    static BenchArgs parse(String tool, String[] args, Set<String> known) {
        BenchArgs a = new BenchArgs(tool);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!known.contains(name)) {
                a.fail("unknown option " + name + " (known: " + String.join(", ", known.stream().sorted().toList())
                        + ")");
            }
            if (i + 1 >= args.length) {
                a.fail(name + " needs a value");
            }
            a.values.put(name, args[++i]);
        }
        return a;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            fail(name + " is required");
        }
        return v;
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    long number(String name, long fallback, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            fail(name + " must be a whole number, got '" + v + "'");
            return fallback;
        }
        if (n < min || n > max) {
            fail(name + " must be " + min + ".." + max + ", got " + n);
        }
        return n;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Ends the tool: one line on stderr, exit status 2. */
    void fail(String message) {
        System.err.println(tool + ": " + message);
        System.exit(EXIT_USAGE);
    }
}
