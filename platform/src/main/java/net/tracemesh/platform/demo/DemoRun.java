package net.tracemesh.platform.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.platform.PlatformMain;

/**
 * A running demo: the lab, the platform (broker, collector, web) in this JVM with the broker on the management
 * bridge, one agent per vantage point, the default measurements and the timer of the route change. Closing stops
 * and removes all of it. The process id is kept in {@link #PID_FILE} while it runs, so {@code demo down} can stop it
 * and a second {@code demo up} refuses to start beside it.
 */
final class DemoRun implements AutoCloseable {
    /** Where a running demo keeps its process id (one demo per machine: the namespaces have fixed names). */
    static final Path PID_FILE = Files.isDirectory(Path.of("/run")) ? Path.of("/run", "tracemesh-demo.pid")
            : Path.of(System.getProperty("java.io.tmpdir"), "tracemesh-demo.pid");
    /** The web's files under the data directory (as the platform lays them out). */
    private static final String WEB_DIR = "web";
    private static final String ADMIN_USER = "admin";
    private static final String ADMIN_PASSWORD_FILE = "admin-password";
    private static final long DEMO_STOP_SECONDS = 90;

    private final PrintStream out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-route-change");
        t.setDaemon(true);
        return t;
    });
    private DemoLab lab;
    private PlatformMain.Platform platform;
    private DemoAgents agents;
    private boolean closed;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread shutdownHook = new Thread(this::closeQuietly, "demo-shutdown");

    private DemoRun(PrintStream out) {
        this.out = out;
    }

    /** Builds and starts everything; on a failure removes what was made and throws. */
    static DemoRun start(DemoOptions options, PrintStream out, PrintStream err) {
        Optional<ProcessHandle> running = runningDemo();
        if (running.isPresent()) {
            throw new DemoException("a demo is already running (process " + running.get().pid()
                    + "); stop it with Ctrl-C or 'tracemesh demo down'");
        }
        List<String> leftovers = DemoLab.removeAll();
        if (!leftovers.isEmpty()) {
            out.println("tracemesh demo: removed what an earlier demo left (" + leftovers.size() + " things)");
        }
        DemoRun run = new DemoRun(out);
        // Registered first: Ctrl-C while starting lets the start finish, then removes everything.
        Runtime.getRuntime().addShutdownHook(run.shutdownHook);
        try {
            Files.createDirectories(options.dataDir());
            Files.writeString(PID_FILE, ProcessHandle.current().pid() + "\n");
            synchronized (run) {
                run.startParts(options, err);
            }
            return run;
        } catch (IOException e) {
            run.close();
            throw new DemoException("cannot write " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.close();
            throw new DemoException("interrupted while starting", e);
        } catch (RuntimeException e) {
            run.close();
            throw e instanceof DemoException ? e : new DemoException(e.getMessage(), e);
        }
    }

    private void startParts(DemoOptions options, PrintStream err) throws IOException, InterruptedException {
        DemoTopology topology = DemoTopology.standard();
        out.println("tracemesh demo: building the lab (namespaces " + DemoTopology.PREFIX + "*, 198.19.0.0/16)");
        lab = DemoLab.build(topology);
        int kafkaPort = options.kafkaPort() > 0 ? options.kafkaPort() : freePort(DemoTopology.HOST_ADDRESS);
        Path dataDir = options.dataDir().toAbsolutePath();
        out.println("tracemesh demo: starting Kafka, the collector and the web (data in " + dataDir + ")");
        platform = PlatformMain.Platform.start(PlatformMain.Options.parse(List.of(
                "--data-dir", dataDir.toString(), "--no-agent",
                "--kafka-listen", DemoTopology.HOST_ADDRESS, "--kafka-port", Integer.toString(kafkaPort),
                "--web-listen", options.webListen(), "--web-port", Integer.toString(options.webPort()))),
                System.getenv());
        Path webDir = dataDir.resolve(WEB_DIR);
        Path publicKey = webDir.resolve(DefinitionSigning.PUBLIC_KEY_FILE);
        Optional<Path> definitionsKey = Files.isRegularFile(publicKey) ? Optional.of(publicKey) : Optional.empty();
        if (definitionsKey.isEmpty()) {
            out.println("tracemesh demo: the web wrote no " + publicKey + "; the agents accept unsigned definitions");
        }
        agents = DemoAgents.start(topology, dataDir, DemoTopology.HOST_ADDRESS + ":" + kafkaPort, definitionsKey,
                err);
        out.println("tracemesh demo: started " + topology.vantages().size() + " agents ("
                + String.join(", ", topology.vantages().stream().map(DemoTopology.Node::agentId).toList())
                + "; logs in " + dataDir.resolve(DemoAgents.AGENTS_DIR) + "/*/agent.log)");
        Path passwordFile = webDir.resolve(ADMIN_PASSWORD_FILE);
        createMeasurements(URI.create(platform.webUrl()), passwordFile, options.intervalSeconds(), err);
        if (options.routeChangeAfter() > 0) {
            timer.schedule(this::changeRoute, options.routeChangeAfter(), TimeUnit.SECONDS);
        }
        out.println(DemoTopology.DRAWING);
        out.println("tracemesh demo: running. Open " + platform.webUrl() + " (user " + ADMIN_USER
                + ", password in " + passwordFile + ").");
        out.println("  Map: the merged graph fills in as rounds arrive (every " + options.intervalSeconds()
                + " s). Compare: pick a destination and agents demo-a1 .. demo-b2.");
        out.println("  History: agent demo-b1 toward " + DemoTopology.DESTINATIONS.get(0) + " shows the route change"
                + (options.routeChangeAfter() > 0 ? " (in " + options.routeChangeAfter() + " s)" : " (disabled)")
                + ".");
        out.println("  Stop with Ctrl-C: everything is removed ('tracemesh demo down' cleans up after a killed demo).");
    }

    private void createMeasurements(URI web, Path passwordFile, int interval, PrintStream err)
            throws InterruptedException {
        if (!Files.isReadable(passwordFile)) {
            err.println("tracemesh demo: no " + passwordFile + " to log in with; create the measurements on the "
                    + "Measurements page");
            return;
        }
        try {
            DemoWebClient client = new DemoWebClient(web);
            DemoWebClient.Answer login = client.login(ADMIN_USER, Files.readString(passwordFile).strip());
            if (login.status() != 200) {
                err.println("tracemesh demo: cannot log in as " + ADMIN_USER + " with " + passwordFile + " ("
                        + login.status() + "); create the measurements on the Measurements page");
                return;
            }
            DemoMeasurements.install(client, interval);
            out.println("tracemesh demo: measurements " + DemoMeasurements.ICMP_ID + " and " + DemoMeasurements.UDP_ID
                    + " run on every agent toward " + String.join(", ", DemoTopology.DESTINATIONS));
        } catch (IOException e) {
            throw new DemoException("cannot create the demo's measurements through " + web + ": " + e.getMessage(), e);
        }
    }

    private void changeRoute() {
        try {
            String what = lab.changeRoute();
            out.println("tracemesh demo: route change at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + ": "
                    + what);
        } catch (RuntimeException e) {
            out.println("tracemesh demo: the route change failed: " + e.getMessage());
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        }
    }

    /** Blocks until the demo is stopped (by SIGTERM or Ctrl-C, through the shutdown hook). */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("tracemesh demo: " + e.getMessage());
        }
    }

    /** Stops the agents, the platform and the timer, removes the lab; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is what called us
        }
        try {
            stopParts();
        } finally {
            stopped.countDown();
        }
    }

    private void stopParts() {
        out.println("tracemesh demo: stopping");
        timer.shutdownNow();
        List<Throwable> failures = new ArrayList<>();
        // The agents stop while the platform does (each takes seconds); the collector stores what it has first.
        run(failures, () -> {
            if (agents != null) {
                agents.requestStop();
            }
        });
        run(failures, () -> {
            if (platform != null) {
                platform.close();
            }
        });
        run(failures, () -> {
            if (agents != null) {
                agents.close();
            }
        });
        run(failures, () -> DemoLab.removeAll());
        run(failures, () -> {
            try {
                if (DemoAgents.readPid(PID_FILE).orElse(-1L) == ProcessHandle.current().pid()) {
                    Files.deleteIfExists(PID_FILE);
                }
            } catch (IOException e) {
                throw new DemoException("cannot delete " + PID_FILE + ": " + e.getMessage(), e);
            }
        });
        out.println("tracemesh demo: stopped; the lab is removed");
        if (!failures.isEmpty()) {
            DemoException e = new DemoException("stopping the demo: " + failures.get(0).getMessage());
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Runs one step of stopping; whatever it throws is kept, so the later steps (removing the lab) still run. */
    private static void run(List<Throwable> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            failures.add(e);
        }
    }

    /** The process of a running demo, from {@link #PID_FILE}, if it still runs. */
    static Optional<ProcessHandle> runningDemo() {
        return DemoAgents.readPid(PID_FILE).filter(pid -> pid != ProcessHandle.current().pid())
                .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(" demo up"));
    }

    /**
     * {@code demo down}: stops a running demo (it removes its own lab), then whatever a killed one left: agents
     * named in {@code dataDir}'s pid files, processes in the demo's namespaces, the namespaces, interfaces and
     * iptables rule. Returns what it removed.
     */
    static List<String> down(Path dataDir) {
        List<String> removed = new ArrayList<>();
        Optional<ProcessHandle> running = runningDemo();
        if (running.isPresent()) {
            ProcessHandle demo = running.get();
            demo.destroy();
            try {
                demo.onExit().get(DEMO_STOP_SECONDS, TimeUnit.SECONDS);
                removed.add("running demo (process " + demo.pid() + ")");
            } catch (TimeoutException | ExecutionException e) {
                demo.destroyForcibly();
                removed.add("running demo (process " + demo.pid() + ", killed)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoException("interrupted while the running demo stopped", e);
            }
        }
        DemoAgents.stopLeftovers(dataDir, removed);
        removed.addAll(DemoLab.removeAll());
        try {
            Files.deleteIfExists(PID_FILE);
        } catch (IOException e) {
            removed.add("could not delete " + PID_FILE + ": " + e.getMessage());
        }
        return removed;
    }
}
