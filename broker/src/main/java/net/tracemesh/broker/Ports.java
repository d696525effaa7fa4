package net.tracemesh.broker;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Small helpers around TCP ports and host strings for the embedded broker: picking a free port,
 * checking that a chosen port can still be bound, and writing hosts into Kafka listener URLs.
 */
final class Ports {
    /** The largest TCP port number. */
    static final int MAX_PORT = 65_535;

    /** Loopback address used to reach a broker that listens on a wildcard address. */
    static final String LOOPBACK = "127.0.0.1";

    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

    private Ports() {
    }

    /** True when {@code host} is an "all interfaces" address (IPv4 or IPv6). */
    static boolean isWildcard(String host) {
        return WILDCARDS.contains(host.toLowerCase(Locale.ROOT));
    }

    /** The host as it must appear in a URL or {@code host:port} string: IPv6 literals in brackets. */
    static String urlHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** {@code host:port} with IPv6 literals bracketed. */
    static String hostPort(String host, int port) {
        return urlHost(host) + ":" + port;
    }

    /** The address a local client uses to reach a listener bound to {@code listenHost}. */
    static String localConnectHost(String listenHost) {
        return isWildcard(listenHost) ? LOOPBACK : listenHost;
    }

    /**
     * Asks the operating system for a currently free port on {@code host}.
     *
     * @throws IllegalStateException if the host cannot be resolved or bound at all
     */
    static int pickFree(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(resolve(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind any port on " + host + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code port} can be bound on {@code host} right now. */
    static boolean isFree(String host, int port) {
        try {
            requireFree(host, port, "port");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Checks that {@code port} can be bound on {@code host} (with SO_REUSEADDR, as Kafka binds), so
     * that a busy port is reported by name instead of failing deep inside the broker.
     *
     * @param purpose what the port is for, used in the error message ("client port", ...)
     * @throws IllegalStateException if the port is in use or the host is not a local address
     */
    static void requireFree(String host, int port, String purpose) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(resolve(host), port));
        } catch (BindException e) {
            throw new IllegalStateException(purpose + " " + port + " on " + host
                    + " is not available (" + e.getMessage() + "); is another broker or program using it?", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind " + purpose + " " + port + " on " + host + ": "
                    + e.getMessage(), e);
        }
    }

    private static InetAddress resolve(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unknown listen host '" + host + "'", e);
        }
    }
}
