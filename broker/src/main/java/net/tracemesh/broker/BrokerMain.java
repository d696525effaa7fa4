package net.tracemesh.broker;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedKafka} as a stand-alone process until SIGTERM or Ctrl-C:
 *
 * <pre>
 * java -cp ... net.tracemesh.broker.BrokerMain --data-dir DIR [--port N] [--listen HOST] [--advertise HOST]
 *     [--secure [--tls-hostname NAME]...]
 * </pre>
 *
 * <p>{@code --secure} runs the client listener as SASL_SSL (SCRAM-SHA-512, TLS from a private CA made in
 * {@code DIR/security}) with ACLs and an audit of refusals; {@code --tls-hostname} adds a name or address clients
 * use to the broker certificate (repeatable). Agents and services are enrolled with
 * {@link net.tracemesh.broker.security.SecurityAdmin}.
 *
 * <p>Once the broker is ready it prints {@code tracemesh broker listening on HOST:PORT} (the
 * advertised address) on stdout. The port defaults to {@value #DEFAULT_PORT}; {@code --port 0} picks a
 * free one. {@code --help} prints the usage. Bad arguments: one line on stderr, exit status 2; a broker that
 * cannot start: one line on stderr, exit status 1.
 */
public final class BrokerMain {
    /** Exit status for bad command-line arguments. */
    static final int EXIT_USAGE = 2;
    /** Exit status when the broker cannot start. */
    static final int EXIT_FAILURE = 1;
    /** The port used when none is given, Kafka's customary one. */
    static final int DEFAULT_PORT = 9092;
    static final String USAGE =
            "usage: BrokerMain --data-dir DIR [--port N] [--listen HOST] [--advertise HOST]"
                    + " [--secure [--tls-hostname NAME]...]";

    private BrokerMain() {
    }

    /** Parsed command line; hosts are null when not given. */
    record Options(Path dataDir, int port, String listenHost, String advertisedHost, boolean secured,
                   java.util.List<String> tlsHostnames) {
        Options {
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            if (port < 0 || port > Ports.MAX_PORT) {
                throw new IllegalArgumentException("--port must be 0.." + Ports.MAX_PORT + ", got " + port);
            }
            tlsHostnames = java.util.List.copyOf(tlsHostnames == null ? java.util.List.of() : tlsHostnames);
            if (!secured && !tlsHostnames.isEmpty()) {
                throw new IllegalArgumentException("--tls-hostname needs --secure");
            }
        }

        /** A plain (unsecured) broker's options. */
        Options(Path dataDir, int port, String listenHost, String advertisedHost) {
            this(dataDir, port, listenHost, advertisedHost, false, java.util.List.of());
        }

        /** A broker builder with these options applied. */
        EmbeddedKafka.Builder builder() {
            EmbeddedKafka.Builder b = EmbeddedKafka.builder().dataDir(dataDir).port(port);
            if (listenHost != null) {
                b.listenHost(listenHost);
            }
            if (advertisedHost != null) {
                b.advertisedHost(advertisedHost);
            }
            b.secured(secured);
            tlsHostnames.forEach(b::tlsHostname);
            return b;
        }
    }

    /**
     * Parses {@code --name value} and {@code --name=value} options.
     *
     * @throws IllegalArgumentException naming the offending argument
     */
    static Options parse(String[] args) {
        Path dataDir = null;
        int port = DEFAULT_PORT;
        String listen = null;
        String advertise = null;
        boolean secure = false;
        java.util.List<String> tlsHostnames = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--secure")) {
                secure = true;
                continue;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !isOptionName(args[i + 1])) {
                value = args[++i];
            } else {
                value = null;
            }
            switch (name) {
                case "--data-dir" -> dataDir = path(requireValue(name, value));
                case "--port" -> port = portNumber(requireValue(name, value));
                case "--listen" -> listen = host(name, requireValue(name, value));
                case "--tls-hostname" -> tlsHostnames.add(host(name, requireValue(name, value)));
                case "--advertise" -> {
                    advertise = host(name, requireValue(name, value));
                    if (Ports.isWildcard(advertise)) {
                        throw new IllegalArgumentException("--advertise must be an address clients can reach, not "
                                + advertise);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new Options(dataDir, port, listen, advertise, secure, tlsHostnames);
    }

    /** Starts the broker and blocks until the JVM is asked to shut down. */
    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        Options options;
        EmbeddedKafka kafka;
        try {
            options = parse(args);
            kafka = options.builder().build();
        } catch (IllegalArgumentException e) {
            System.err.println("tracemesh broker: " + e.getMessage() + " (" + USAGE + ")");
            System.exit(EXIT_USAGE);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            stopped.countDown();
        }, "tracemesh-broker-shutdown"));
        try {
            kafka.start();
        } catch (IllegalStateException e) {
            System.err.println("tracemesh broker: " + e.getMessage());
            System.exit(EXIT_FAILURE);
            return;
        }
        System.out.println("tracemesh broker listening on " + kafka.bootstrapServers()
                + (kafka.secured() ? " (SASL_SSL; administrator's client properties in "
                + kafka.securityFiles().adminProperties() + ")" : ""));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isOptionName(String arg) {
        return arg.startsWith("--");
    }

    private static String requireValue(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return value;
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--data-dir '" + value + "' is not a valid path: " + e.getReason(), e);
        }
    }

    private static int portNumber(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got '" + value + "'", e);
        }
    }

    private static String host(String name, String value) {
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(name + " must be a host name or address, got '" + value + "'");
        }
        return value;
    }
}
