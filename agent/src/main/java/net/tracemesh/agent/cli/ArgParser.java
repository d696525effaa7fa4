package net.tracemesh.agent.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser: options that take a value ({@code -q 3}, {@code --rate=100}), flags
 * ({@code --json}), and positional arguments; a lone {@code -} is positional, {@code --} ends options.
 */
final class ArgParser {
    private final Set<String> valued;
    private final Set<String> flags;

    ArgParser(Set<String> valued, Set<String> flags) {
        this.valued = valued;
        this.flags = flags;
    }

    Parsed parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        Set<String> setFlags = new HashSet<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsDone = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsDone || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsDone = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option " + name + " takes no value");
                }
                setFlags.add(name);
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
        return new Parsed(values, setFlags, positionals);
    }

    record Parsed(Map<String, String> values, Set<String> flags, List<String> positionals) {
        boolean flag(String name) {
            return flags.contains(name);
        }

        String string(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        int integer(String name, int fallback, int min, int max, String what) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            int parsed;
            try {
                parsed = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(what + " (" + name + ") must be a whole number, got '" + v + "'");
            }
            if (parsed < min || parsed > max) {
                throw new UsageException(what + " (" + name + ") must be " + min + ".." + max + ", got " + parsed);
            }
            return parsed;
        }

        double decimal(String name, double fallback, double minExclusive, double max, String what) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            double parsed;
            try {
                parsed = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(what + " (" + name + ") must be a number, got '" + v + "'");
            }
            if (!(parsed > minExclusive) || parsed > max || Double.isNaN(parsed)) {
                throw new UsageException(what + " (" + name + ") must be more than " + trim(minExclusive)
                        + " and at most " + trim(max) + ", got " + v);
            }
            return parsed;
        }

        private static String trim(double d) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
    }
}
