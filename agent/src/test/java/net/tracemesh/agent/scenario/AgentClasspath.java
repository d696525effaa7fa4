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

/**
 * The classpath the agent subprocesses run with: this test JVM's classpath, with every directory entry (the
 * {@code target/classes} of the agent and common modules, the test classes) copied once to a private temporary
 * directory. Other people rebuild the modules while the scenarios run; a {@code mvn clean} or recompilation
 * halfway through the suite would otherwise make later agent runs fail with {@code NoClassDefFoundError} or mix
 * two versions of the agent. Jars (the local Maven repository) are used in place.
 */
public final class AgentClasspath {
    private static String classpath;

    private AgentClasspath() {
    }

    public static synchronized String get() {
        if (classpath == null) {
            classpath = snapshot(System.getProperty("java.class.path"));
        }
        return classpath;
    }

    private static String snapshot(String original) {
        try {
            Path root = Files.createTempDirectory("tracemesh-agent-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root), "agent-classpath-cleanup"));
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (String entry : original.split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    Path copy = root.resolve(Integer.toString(index++));
                    copyTree(path, copy);
                    entries.add(copy.toString());
                } else if (!entry.isEmpty()) {
                    entries.add(entry);
                }
            }
            String result = String.join(File.pathSeparator, entries);
            boolean hasMain = entries.stream().map(Path::of).filter(Files::isDirectory)
                    .anyMatch(dir -> Files.isRegularFile(
                            dir.resolve(AgentCli.MAIN_CLASS.replace('.', '/') + ".class")));
            if (!hasMain) {
                throw new IllegalStateException("the test classpath has no " + AgentCli.MAIN_CLASS
                        + " (agent not compiled, or target/ wiped by a concurrent build?): " + original);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot the agent classpath", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
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

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: it is a temporary directory
        }
    }
}
