package net.tracemesh.agent.scenario;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.tracemesh.agent.lab.CommandResult;
import net.tracemesh.agent.lab.Commands;
import net.tracemesh.agent.lab.Netns;

/**
 * Runs the agent's command line as an unprivileged user inside a lab namespace, the way systemd starts it with
 * {@code User=}, {@code AmbientCapabilities=CAP_NET_RAW}, {@code CapabilityBoundingSet=CAP_NET_RAW} and
 * {@code NoNewPrivileges=yes}:
 * {@code ip netns exec NS env -i -C / PATH=... setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs
 * --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw --bounding-set=-all,+net_raw java -cp ... AgentMain ...}.
 *
 * <p>uid 65534 (nobody) has no home and may not read {@code /root}, where the local Maven repository and maybe the
 * work tree are, so the agent's classpath is first copied to a world-readable temporary directory.
 */
final class UnprivilegedAgent implements AutoCloseable {
    /** nobody / nogroup on Debian. */
    static final int UID = 65534;
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PATH = "PATH=/usr/local/bin:/usr/bin:/bin";

    private final Path root;
    private final String classpath;

    private UnprivilegedAgent(Path root, String classpath) {
        this.root = root;
        this.classpath = classpath;
    }

    /**
     * Null when this host can drop to uid {@value #UID} with ambient capabilities ({@code setpriv} from
     * util-linux, Linux 4.3 or later, running as root); otherwise why not.
     */
    static String unavailableReason() {
        CommandResult version;
        try {
            version = Commands.run(List.of("setpriv", "--version"));
        } catch (RuntimeException e) {
            return "setpriv (util-linux) is not installed: " + e.getMessage();
        }
        if (!version.succeeded()) {
            return "setpriv (util-linux) does not run: " + version.stderr().strip();
        }
        List<String> probe = new ArrayList<>(setpriv(true));
        probe.add("true");
        CommandResult result = Commands.run(probe);
        if (!result.succeeded()) {
            return "setpriv cannot drop to uid " + UID + " keeping CAP_NET_RAW as an ambient capability: "
                    + result.stderr().strip();
        }
        return null;
    }

    /** Copies this JVM's agent classpath (see {@link AgentClasspath}) to a directory every user can read. */
    static UnprivilegedAgent create() {
        try {
            Path root = Files.createTempDirectory("tmcaps-classpath-");
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (String entry : AgentClasspath.get().split(File.pathSeparator)) {
                Path source = Path.of(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path target = root.resolve(Integer.toString(index++));
                if (Files.isDirectory(source)) {
                    AgentClasspath.copyTree(source, target);
                    entries.add(target.toString());
                } else {
                    Files.createDirectories(target);
                    Path jar = target.resolve(source.getFileName());
                    Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
                    entries.add(jar.toString());
                }
            }
            makeWorldReadable(root);
            return new UnprivilegedAgent(root, String.join(File.pathSeparator, entries));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the agent classpath to a world-readable directory", e);
        }
    }

    /** The whole command: {@code ip netns exec NS env ... setpriv ... java <jvmOptions> -cp ... AgentMain <args>}. */
    List<String> command(Netns netns, boolean netRaw, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "-i", "-C", "/", PATH));
        command.addAll(setpriv(netRaw));
        command.add(AgentClasspath.javaLauncher());
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, AgentCli.MAIN_CLASS));
        command.addAll(Arrays.asList(args));
        return netns.wrap(command);
    }

    /** Runs the agent to its end (killed after {@link #TIMEOUT}, reported as exit status -1). */
    AgentRun run(Netns netns, boolean netRaw, List<String> jvmOptions, String... args) {
        CommandResult result = Commands.run(command(netns, netRaw, jvmOptions, args), null, TIMEOUT);
        return new AgentRun(Arrays.asList(args), result.exitCode(), result.stdout(), result.stderr());
    }

    /** A directory uid {@value #UID} may write (for jna.tmpdir and the like). */
    Path writableDirectory(String name) {
        return directory(name, "rwxrwxrwx");
    }

    /** A directory every user may read and only root may write (mode 0755). */
    Path readableDirectory(String name) {
        return directory(name, "rwxr-xr-x");
    }

    /** Makes a file root wrote readable by every user (mode 0644). */
    void makeReadable(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory nobody but root may write (mode 0555). */
    Path readOnlyDirectory(String name) {
        return directory(name, "r-xr-xr-x");
    }

    private Path directory(String name, String mode) {
        try {
            Path dir = Files.createDirectories(root.resolve(name));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The setpriv prefix: uid/gid {@value #UID}, no groups, no new privileges, CAP_NET_RAW only or nothing. */
    static List<String> setpriv(boolean netRaw) {
        String caps = netRaw ? "-all,+net_raw" : "-all";
        return List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "--no-new-privs",
                "--inh-caps=" + caps, "--ambient-caps=" + caps, "--bounding-set=" + caps);
    }

    @Override
    public void close() {
        AgentClasspath.deleteTree(root);
    }

    private static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
