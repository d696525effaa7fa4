package net.tracemesh.platform.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tracemesh demo up|down}: a lab of network namespaces with the whole platform on it ({@link DemoRun}), and
 * its removal.
 */
public final class DemoMain {
    static final String USAGE = """
            usage: tracemesh demo up [--data-dir DIR] [--web-port N] [--web-listen HOST] [--kafka-port N]
                                     [--interval SECONDS] [--route-change-after SECONDS]
                   tracemesh demo down [--data-dir DIR]
              up    builds a lab of network namespaces (four vantage points at two sites, a core with per-flow
                    ECMP, a firewall, a 600-byte MTU link, a route change) in 198.19.0.0/16, starts the platform
                    on it (Kafka, collector, web, one agent per vantage point in its namespace) with Paris
                    traceroutes to the lab's destinations, prints the web's URL and runs until Ctrl-C or
                    SIGTERM, then removes everything
              down  removes what a killed 'demo up' left: its processes, the tmdemo-* namespaces and
                    interfaces, its iptables rule (a running 'demo up' of DIR is stopped first)
              --data-dir DIR               broker, collector, web and agents' files [./tracemesh-demo-data]
              --web-port N                 the web UI's and API's port [8080]
              --web-listen HOST            the address the web listens on [127.0.0.1]
              --kafka-port N               the broker's port on 198.19.100.1 [a free one]
              --interval SECONDS           seconds between measurement rounds [30]
              --route-change-after SECONDS when the route change happens, 0 for never [120]
            Needs root (it creates network namespaces), ip (iproute2), iptables and sysctl.""";
    static final Path DEFAULT_DATA_DIR = Path.of("tracemesh-demo-data");

    private DemoMain() {
    }

    /** Runs {@code demo <args>}; returns the exit status (2 for a bad command line or a missing requirement). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tracemesh demo: " + e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        String missing = missingRequirement();
        if (missing != null) {
            err.println("tracemesh demo: " + missing);
            return 2;
        }
        try {
            if (options.up()) {
                DemoRun.start(options, out, err).awaitStop();
            } else {
                List<String> removed = DemoRun.down(options.dataDir());
                removed.forEach(line -> out.println("removed " + line));
                out.println(removed.isEmpty() ? "tracemesh demo: nothing to remove"
                        : "tracemesh demo: removed " + removed.size() + " things");
            }
            return 0;
        } catch (DemoException e) {
            err.println("tracemesh demo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Null when this process can build the lab; otherwise one sentence saying what is missing. */
    static String missingRequirement() {
        int uid = Shell.effectiveUid();
        if (uid != 0) {
            return "needs root to create network namespaces (effective uid is " + uid + "); run it with sudo";
        }
        for (String tool : List.of("ip", "iptables", "sysctl")) {
            if (!Shell.onPath(tool)) {
                return "needs the '" + tool + "' command (Debian/Ubuntu: apt-get install "
                        + (tool.equals("ip") ? "iproute2" : tool.equals("sysctl") ? "procps" : tool) + ")";
            }
        }
        return null;
    }
}
