package net.tracemesh.web;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.tracemesh.collector.config.StoreConfig;
import net.tracemesh.collector.config.StoreType;
import net.tracemesh.collector.daemon.CollectorService;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.web.auth.AccountStore;
import net.tracemesh.web.auth.PasswordHashing;
import net.tracemesh.web.config.AccountSettings;
import net.tracemesh.web.config.ConfigException;
import net.tracemesh.web.config.WebConfig;

/**
 * The standalone web's command line, {@code java -jar web.jar run --config web.yaml}: the REST API and browser UI
 * over a PostgreSQL store that collectors write (or an embedded store no collector has open). It runs until
 * SIGTERM or Ctrl-C, then stops the server and closes the stores; the JVM then ends with status 143 (130 for
 * Ctrl-C), as a process stopped by a signal does. A mistake in the command line or the configuration is one line
 * on stderr and status {@value #USAGE_ERROR}; a failure to start is status {@value #FAILED}.
 */
public final class WebMain {
    static final int USAGE_ERROR = 2;
    static final int FAILED = 1;
    static final String USAGE = """
            usage: web run --config FILE
              Serves the tracemesh REST API (/api/v1, documented at /openapi.yaml) and the browser UI over the
              collectors' store. web.yaml sections (snake_case keys): http (host, port, tls-certificate, tls-key,
              query-workers, max-body-bytes), kafka (bootstrap-servers, topic-prefix, properties), store (type
              jdbc|embedded, url, user, password-file, data-dir), auth (admin-user, admin-password-file,
              session-idle, session-max), agents (offline-after). Each can be overridden by an environment
              variable TRACEMESH_<SECTION>_<SETTING>, e.g. TRACEMESH_HTTP_PORT=8443 or
              TRACEMESH_STORE_URL=jdbc:postgresql://db:5432/tracemesh.
              When the account store holds no user, it creates auth.admin-user with the password in
              auth.admin-password-file (generated and written there, mode 0600, if the file does not exist; printed
              once when no file is set). Stop it with SIGTERM (or Ctrl-C).""";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final long STOP_SECONDS = 10;

    private WebMain() {
    }

    public static void main(String[] args) {
        int status = run(Arrays.asList(args), System.out, System.err, System.getenv());
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs one command; {@code run} returns only when the service could not start (the JVM ends it otherwise).
     *
     * @return the exit status
     */
    static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> environment) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return USAGE_ERROR;
        }
        if (args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
            out.println(USAGE);
            return 0;
        }
        if (!args.get(0).equals("run")) {
            err.println("web: unknown command '" + args.get(0) + "' (expected run)");
            return USAGE_ERROR;
        }
        WebConfig config;
        try {
            config = WebConfig.load(configFile(args.subList(1, args.size())), environment);
        } catch (ConfigException e) {
            err.println("web: " + e.getMessage());
            return USAGE_ERROR;
        }
        System.setProperty("org.slf4j.simpleLogger.log.net.tracemesh", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        return serve(config, err);
    }

    private static int serve(WebConfig config, PrintStream err) {
        CollectorStore store = null;
        AccountStore accounts = null;
        Vertx vertx = null;
        try {
            // The collector store first: in a shared PostgreSQL database its migrations must create the schema.
            store = CollectorService.openStore(config.store());
            accounts = openAccounts(config.store(), config.auth());
            bootstrapAdmin(accounts, config.auth(), err);
            vertx = Vertx.vertx();
            WebApp app = WebApp.start(vertx, config, store.readDataSource(), accounts, null)
                    .toCompletionStage().toCompletableFuture().get();
            CountDownLatch stopped = new CountDownLatch(1);
            CollectorStore s = store;
            AccountStore a = accounts;
            Vertx v = vertx;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    WebApp.stopBlocking(app, v, java.time.Duration.ofSeconds(STOP_SECONDS));
                } catch (IllegalStateException e) {
                    err.println("web: " + e.getMessage());
                } finally {
                    a.close();
                    s.close();
                    stopped.countDown();
                }
            }, "tracemesh-web-shutdown"));
            stopped.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            err.println("web: cannot start: " + firstLine(String.valueOf(cause.getMessage())));
            if (vertx != null) {
                vertx.close();
            }
            if (accounts != null) {
                accounts.close();
            }
            if (store != null) {
                store.close();
            }
            return FAILED;
        }
    }

    public static AccountStore openAccounts(StoreConfig s, AccountSettings auth) {
        return s.type() == StoreType.EMBEDDED
                ? AccountStore.openEmbedded(s.dataDir(), auth.authSettings(), Clock.systemUTC(), new PasswordHashing())
                : AccountStore.open(s.url(), s.user(), s.password(), auth.authSettings(), Clock.systemUTC(),
                        new PasswordHashing());
    }

    /**
     * Creates the first administrator when there is no user: with the password in the configured file, or a
     * generated one written to that file (mode 0600) or, with no file configured, printed once.
     */
    public static void bootstrapAdmin(AccountStore accounts, AccountSettings auth, PrintStream err) throws IOException {
        Path file = auth.adminPasswordFile();
        String given = null;
        if (file != null && Files.exists(file)) {
            given = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
            if (given.isEmpty()) {
                throw new IOException("auth.admin-password-file: " + file + " is empty");
            }
        }
        Optional<String> created = accounts.ensureAdmin(auth.adminUser(), given);
        if (created.isEmpty() || given != null) {
            return;
        }
        if (file == null) {
            err.println("web: created administrator '" + auth.adminUser() + "' with password " + created.get()
                    + " (shown once; change it or set auth.admin-password-file)");
            return;
        }
        writePrivate(file, created.get());
        err.println("web: created administrator '" + auth.adminUser() + "'; the password is in " + file);
    }

    private static void writePrivate(Path file, String password) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("auth.admin-password-file: " + file + " appeared while the admin was created");
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    }

    /** The file of {@code --config FILE} (or {@code --config=FILE}); every other argument is a mistake. */
    static Path configFile(List<String> args) {
        String file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") || a.equals("-c")) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new ConfigException(a + " needs a file name");
                }
                file = args.get(++i);
            } else if (a.startsWith("--config=")) {
                file = a.substring("--config=".length());
            } else {
                throw new ConfigException("unknown option '" + a + "' for run (expected --config FILE)");
            }
        }
        if (file == null || file.isBlank()) {
            throw new ConfigException("run needs --config FILE");
        }
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new ConfigException("--config: '" + file + "' is not a file path");
        }
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }
}
