package net.tracemesh.agent.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.tracemesh.wire.Ipv4Address;

/**
 * Reads trace targets: dotted addresses, prefixes ({@code 198.18.4.0/24}: every host address of it) and host
 * names (resolved to their first IPv4 address). Target files hold one per line; {@code #} starts a comment.
 */
final class Targets {
    /** The most addresses one run may be given (a /12). */
    static final int MAX_TARGETS = 1 << 20;

    private int[] addresses = new int[64];
    private int size;

    static int[] parse(List<String> arguments, String file, InputStream stdin) {
        Targets t = new Targets();
        for (String a : arguments) {
            t.add(a, "argument");
        }
        if (file != null) {
            t.addFile(file, stdin);
        }
        if (t.size == 0) {
            throw new UsageException("no target given (name one, or use --targets FILE)");
        }
        return Arrays.copyOf(t.addresses, t.size);
    }

    private void addFile(String file, InputStream stdin) {
        try (BufferedReader in = file.equals("-")
                ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            String source = file.equals("-") ? "stdin" : file;
            while ((line = in.readLine()) != null) {
                number++;
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!text.isEmpty()) {
                    add(text, source, number);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UsageException u) {
                throw u;
            }
            throw new UsageException("cannot read target file " + file + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    private void add(String text, String where) {
        add(text, where, 0);
    }

    /** Adds a target read from line {@code line} of {@code source} (0: {@code source} says where it came from). */
    private void add(String text, String source, int line) {
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addPrefix(text, slash, where(source, line));
            return;
        }
        append(resolve(text, source, line));
    }

    private static String where(String source, int line) {
        return line == 0 ? source : source + " line " + line;
    }

    private static boolean isDottedNumber(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private void addPrefix(String text, int slash, String where) {
        int base;
        int length;
        try {
            base = Ipv4Address.parse(text.substring(0, slash));
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad prefix '" + text + "' (" + where + ")");
        }
        if (length < 12 || length > 32) {
            throw new UsageException("prefix length of '" + text + "' must be 12..32 (" + where + ")");
        }
        long count = 1L << (32 - length);
        int network = base & (-1 << (32 - length));
        long first = 0;
        long last = count - 1;
        if (length <= 30) {
            first = 1;
            last = count - 2;
        }
        for (long i = first; i <= last; i++) {
            append(network + (int) i);
        }
    }

    /** The address of {@code text}; where it came from is only put into words for an error. */
    private static int resolve(String text, String source, int line) {
        if (isDottedNumber(text)) {
            try {
                return Ipv4Address.parse(text);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad address '" + text + "' (" + where(source, line) + ")");
            }
        }
        if (!text.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw new UsageException("bad address '" + text + "' (" + where(source, line) + ")");
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(text)) {
                if (a instanceof Inet4Address v4) {
                    return Ipv4Address.read(v4.getAddress(), 0);
                }
            }
            throw new UsageException("host '" + text + "' has no IPv4 address (" + where(source, line) + ")");
        } catch (UnknownHostException e) {
            throw new UsageException("unknown host '" + text + "' (" + where(source, line) + ")");
        }
    }

    private void append(int address) {
        if (size == MAX_TARGETS) {
            throw new UsageException("more than " + MAX_TARGETS + " targets");
        }
        if (size == addresses.length) {
            addresses = Arrays.copyOf(addresses, Math.min(MAX_TARGETS, size * 2));
        }
        addresses[size++] = address;
    }
}
