package net.tracemesh.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Random secrets and their stored form. Session ids and API tokens are 256 random bits in base64url; the store keeps
 * only their SHA-256 (hex), so a copy of the database does not let anyone in.
 */
final class Secrets {
    /** Random bytes of a session id or token: 256 bits. */
    static final int SECRET_BYTES = 32;
    /** Length of 32 bytes in unpadded base64url. */
    static final int SECRET_CHARS = 43;
    /** The prefix that marks an API token (and lets secret scanners recognise one). */
    static final String TOKEN_PREFIX = "tm_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{" + SECRET_CHARS + "}");

    private Secrets() {
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A new session id. */
    static String newSessionId() {
        return BASE64URL.encodeToString(randomBytes(SECRET_BYTES));
    }

    /** A new API token: {@code tm_} and 256 random bits. */
    static String newToken() {
        return TOKEN_PREFIX + newSessionId();
    }

    /** A random text of {@code bytes} random bytes (base64url), for generated passwords and ids. */
    static String randomText(int bytes) {
        return BASE64URL.encodeToString(randomBytes(bytes));
    }

    static boolean looksLikeSessionId(String s) {
        return s != null && SECRET.matcher(s).matches();
    }

    static boolean looksLikeToken(String s) {
        return s != null && s.startsWith(TOKEN_PREFIX) && looksLikeSessionId(s.substring(TOKEN_PREFIX.length()));
    }

    /** SHA-256 of the secret's UTF-8 bytes, lower-case hex: what the store keeps. */
    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
