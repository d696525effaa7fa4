package net.tracemesh.web.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2 with HMAC-SHA-256, a random 16-byte salt per hash and a 256-bit derived key, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<key base64>}. The iteration count travels with the hash, so
 * {@link #DEFAULT_ITERATIONS} can be raised later without invalidating stored passwords ({@link #needsRehash}
 * says which ones to re-hash at the next login). Verification compares in constant time.
 */
public final class PasswordHashing {
    /**
     * About 80 ms per hash on the 2-core build machine (measured: 200 000 iterations 68 ms, 300 000 95 ms), slow
     * enough to make guessing from a stolen database costly and fast enough for a login.
     */
    public static final int DEFAULT_ITERATIONS = 250_000;
    /** Fewest iterations accepted when reading a stored hash: a lower count means a tampered or foreign hash. */
    public static final int MIN_ITERATIONS = 10_000;
    /** Most iterations accepted when reading a stored hash (bounds the work a tampered hash can cause). */
    public static final int MAX_ITERATIONS = 10_000_000;
    static final String SCHEME = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;

    private final int iterations;

    public PasswordHashing() {
        this(DEFAULT_ITERATIONS);
    }

    public PasswordHashing(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations: " + iterations + " is not " + MIN_ITERATIONS + ".."
                    + MAX_ITERATIONS);
        }
        this.iterations = iterations;
    }

    public int iterations() {
        return iterations;
    }

    /** A new hash of the password with a fresh salt. */
    public String hash(String password) {
        if (password == null) {
            throw new IllegalArgumentException("the password is missing");
        }
        byte[] salt = Secrets.randomBytes(SALT_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations, KEY_BITS));
    }

    /** Whether the password matches the stored hash; a malformed or tampered hash matches nothing. */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        Parsed p = Parsed.of(stored);
        if (p == null) {
            return false;
        }
        return MessageDigest.isEqual(derive(password, p.salt, p.iterations, p.key.length * 8), p.key);
    }

    /** Whether a stored hash uses fewer iterations than this hasher (re-hash it after a successful login). */
    public boolean needsRehash(String stored) {
        Parsed p = Parsed.of(stored);
        return p == null || p.iterations < iterations;
    }

    /** Spends the time of one verification without a hash to compare to (logins of unknown users). */
    void burn(String password) {
        derive(password == null ? "" : password, new byte[SALT_BYTES], iterations, KEY_BITS);
    }

    private static byte[] derive(String password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("the JDK cannot compute " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }

    private record Parsed(int iterations, byte[] salt, byte[] key) {
        static Parsed of(String stored) {
            if (stored == null) {
                return null;
            }
            String[] parts = stored.split("\\$", -1);
            if (parts.length != 4 || !parts[0].equals(SCHEME)) {
                return null;
            }
            try {
                int iterations = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] key = Base64.getDecoder().decode(parts[3]);
                if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS || salt.length < SALT_BYTES
                        || key.length != KEY_BITS / 8) {
                    return null;
                }
                return new Parsed(iterations, salt, key);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
