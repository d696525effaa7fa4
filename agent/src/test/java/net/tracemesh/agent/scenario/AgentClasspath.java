package net.tracemesh.agent.scenario;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The classpath the processes tests start run with (agent subprocesses, and other child JVMs such as the platform
 * tests' forked collectors): this test JVM's classpath, with every directory entry (the {@code target/classes} of
 * the modules, the test classes) and every snapshot jar (this project's modules installed in the local Maven
 * repository, e.g. the agent's jars when another module's tests use this) copied once to a private temporary
 * directory. Other people rebuild and install the modules while the tests run; a {@code mvn clean}, recompilation
 * or install halfway through the suite would otherwise make later child processes fail with
 * {@code NoClassDefFoundError} or mix two versions of the agent. Release jars are used in place.
 */
public final class AgentClasspath {
    private static String classpath;

    private AgentClasspath() {
    }

    /** The snapshot classpath (made on first use); fails if it holds no agent main class, in a directory or jar. */
    public static synchronized String get() {
        if (classpath == null) {
            classpath = snapshot(System.getProperty("java.class.path"));
        }
        return classpath;
    }

    /** The {@code java} launcher of this JVM. */
    public static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String snapshot(String original) {
        try {
            Path root = Files.createTempDirectory("tracemesh-agent-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "agent-classpath-cleanup"));
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (String entry : original.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    Path copy = root.resolve(Integer.toString(index++));
                    copyTree(path, copy);
                    entries.add(copy.toString());
                } else if (Files.isRegularFile(path) && isSnapshotJar(path)) {
                    Path copy = Files.createDirectories(root.resolve(Integer.toString(index++)))
                            .resolve(path.getFileName());
                    Files.copy(path, copy);
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
            String mainClass = AgentCli.MAIN_CLASS.replace('.', '/') + ".class";
            if (entries.stream().map(Path::of).noneMatch(entry -> holds(entry, mainClass))) {
                throw new IllegalStateException("the test classpath has no " + AgentCli.MAIN_CLASS
                        + " (agent not compiled, or target/ wiped by a concurrent build?): " + original);
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot the agent classpath", e);
        }
    }

    private static boolean isSnapshotJar(Path jar) {
        String name = jar.getFileName().toString();
        return name.endsWith("-SNAPSHOT.jar") || name.endsWith("-SNAPSHOT-tests.jar");
    }

    /** True when classpath entry {@code entry} (a directory or a jar) holds resource {@code name}. */
    private static boolean holds(Path entry, String name) {
        if (Files.isDirectory(entry)) {
            return Files.isRegularFile(entry.resolve(name));
        }
        if (!Files.isRegularFile(entry)) {
            return false;
        }
        try (ZipFile jar = new ZipFile(entry.toFile())) {
            return jar.getEntry(name) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies a directory tree (files replaced, attributes not kept). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Deletes {@code root} and everything under it, as far as possible (for temporary directories). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: it is a temporary directory
        }
    }
}
