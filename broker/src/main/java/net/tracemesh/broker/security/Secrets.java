package net.tracemesh.broker.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Random passwords and the files that hold secrets: written with mode 0600 (owner only) before any byte of the
 * secret goes in, and replaced atomically so a reader never sees half a file.
 */
public final class Secrets {
    /** Random bytes in a generated password (256 bits). */
    static final int PASSWORD_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /**
     * A new random password: URL-safe base64 without padding (letters, digits, '-' and '_'), so it can stand in a
     * JAAS option, a SCRAM bootstrap argument and a properties file without quoting problems.
     */
    public static String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes {@code text} to {@code file} with mode 0600, replacing it atomically. */
    public static void writeOwnerOnly(Path file, String text) {
        writeOwnerOnly(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} with mode 0600, replacing it atomically. */
    public static void writeOwnerOnly(Path file, byte[] bytes) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} (and parents) if missing and makes it owner-only (0700). */
    public static void ownerOnlyDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The secret in {@code file}, without trailing line breaks. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The password in {@code file}; a new one is generated and written (0600) when the file does not exist. */
    public static String readOrCreate(Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        String password = newPassword();
        writeOwnerOnly(file, password + "\n");
        return password;
    }
}
