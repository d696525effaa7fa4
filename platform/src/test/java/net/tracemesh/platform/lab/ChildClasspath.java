package net.tracemesh.platform.lab;

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
 * The class path of the processes these tests start (agent daemons, forked collectors): this JVM's class path with
 * every directory entry ({@code target/classes}, {@code target/test-classes}) copied once into a private temporary
 * directory, so a rebuild of the module while the tests run cannot pull classes from under a child process. Jars
 * are used where they are.
 */
final class ChildClasspath {
    private static String classpath;

    private ChildClasspath() {
    }

    static synchronized String get() {
        if (classpath == null) {
            classpath = snapshot(System.getProperty("java.class.path"));
        }
        return classpath;
    }

    /** The {@code java} launcher of this JVM. */
    static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String snapshot(String original) {
        try {
            Path root = Files.createTempDirectory("tracemesh-platform-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "platform-classpath-cleanup"));
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
                } else {
                    entries.add(entry);
                }
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot the test class path", e);
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

    /** Deletes {@code root} and everything under it, as far as possible. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory
        }
    }
}
