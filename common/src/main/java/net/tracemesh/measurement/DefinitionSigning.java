package net.tracemesh.measurement;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tracemesh.config.SettingsTree;

/**
 * Signed measurement definitions: the central side (the web) signs every record it writes to the measurements topic
 * with an Ed25519 private key, and agents run only what they can verify with the matching public key.
 *
 * <p>What is signed ({@link #signedBytes}) binds the record key (the measurement id), the signing time and the value
 * (or a deletion marker for a tombstone) under a domain-separation prefix, so a signature can neither be moved to
 * another measurement, nor to another time, nor made to delete one. The signature, the time and the key's id travel
 * in the record's headers ({@link DefinitionSignature}); the value is the definition's JSON as before.
 *
 * <p>Keys are files in PEM: the private key as PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, mode 0600), the public
 * key as X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}), as {@code openssl genpkey -algorithm
 * ed25519} and {@code openssl pkey -pubout} write them. The public key lives next to the private one:
 * {@code NAME.pem} and {@code NAME.pub.pem} ({@link #publicKeyFile}).
 */
public final class DefinitionSigning {
    public static final String ALGORITHM = "Ed25519";
    /** Header with the base64 Ed25519 signature. */
    public static final String SIGNATURE_HEADER = "tracemesh-signature";
    /** Header with the signing time, epoch milliseconds in decimal. */
    public static final String SIGNED_AT_HEADER = "tracemesh-signed-at";
    /** Header with the id of the signing key ({@link #keyId}). */
    public static final String KEY_ID_HEADER = "tracemesh-key-id";
    /** The private key's file name in the web's directory of the single-machine platform. */
    public static final String PRIVATE_KEY_FILE = "definitions-signing-key.pem";
    /** The public key's file name next to it. */
    public static final String PUBLIC_KEY_FILE = "definitions-signing-key.pub.pem";

    /** Starts every signed byte string: a signature over anything else never verifies as a definition's. */
    private static final byte[] DOMAIN = "tracemesh measurement definition v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte VALUE = 1;
    private static final byte DELETION = 0;
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    private static final Pattern ANY_BEGIN = Pattern.compile("-----BEGIN ([^-]+)-----");
    private static final int KEY_ID_BYTES = 8;
    private static final int MAX_KEY_FILE_BYTES = 64 * 1024;
    /** Algorithms tried to name what a key that is not Ed25519 is instead. */
    private static final List<String> OTHER_ALGORITHMS = List.of("RSA", "EC", "Ed448", "X25519", "X448", "DSA");
    private static final String CREATE_HINT = "openssl genpkey -algorithm ed25519 -out KEY.pem";

    private DefinitionSigning() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + " (Java 15 or later has)", e);
        }
    }

    /** A key's id: the first 8 bytes of the SHA-256 of its X.509 encoding, in lower-case hex (16 digits). */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, KEY_ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * The bytes a signature covers: the domain prefix, the record key (4-byte big-endian length, UTF-8), the signing
     * time (8-byte big-endian epoch milliseconds), then either {@code 0x01}, the value's length (4 bytes) and the
     * value, or {@code 0x00} for a deletion (a null or empty value, which every reader takes for a deletion).
     */
    public static byte[] signedBytes(String key, Instant signedAt, byte[] value) {
        if (key == null) {
            throw new IllegalArgumentException("a signed record needs a key (the measurement id)");
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        boolean deletion = value == null || value.length == 0;
        ByteBuffer b = ByteBuffer.allocate(DOMAIN.length + 4 + k.length + 8 + 1 + (deletion ? 0 : 4 + value.length));
        b.put(DOMAIN).putInt(k.length).put(k).putLong(signedAt.toEpochMilli());
        if (deletion) {
            b.put(DELETION);
        } else {
            b.put(VALUE).putInt(value.length).put(value);
        }
        return b.array();
    }

    /**
     * Signs one record.
     *
     * @param pair     the signing key pair (the public key gives the key id)
     * @param key      the record key, the measurement id
     * @param value    the record value, null for a deletion
     * @param signedAt the signing time (kept to the millisecond)
     */
    public static DefinitionSignature sign(KeyPair pair, String key, byte[] value, Instant signedAt) {
        Instant at = Instant.ofEpochMilli(signedAt.toEpochMilli());
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(pair.getPrivate());
            s.update(signedBytes(key, at, value));
            return new DefinitionSignature(keyId(pair.getPublic()), at, s.sign());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /** The headers of a record signed now: {@code sign(pair, key, value, Instant.now()).headers()}. */
    public static Map<String, byte[]> signedHeaders(KeyPair pair, String key, byte[] value) {
        return sign(pair, key, value, Instant.now()).headers();
    }

    /**
     * Whether {@code signature} is {@code key}'s signature over this record. Only the cryptography: the key id and the
     * signing time's freshness are {@link DefinitionVerifier}'s business.
     */
    public static boolean verify(PublicKey key, String recordKey, byte[] value, DefinitionSignature signature) {
        if (recordKey == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(signedBytes(recordKey, signature.signedAt(), value));
            return s.verify(signature.signature());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " public key: " + e.getMessage(), e);
        } catch (SignatureException e) {
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
        }
    }

    // ---- PEM ----

    /** The private key as PKCS#8 PEM text. */
    public static String privateKeyPem(PrivateKey key) {
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    /** The public key as X.509 SubjectPublicKeyInfo PEM text. */
    public static String publicKeyPem(PublicKey key) {
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    /**
     * Reads an Ed25519 private key from PKCS#8 PEM text.
     *
     * @param source names the text in messages (usually its file)
     * @throws SigningKeyException when the text holds no such key
     */
    public static PrivateKey parsePrivateKey(String pem, String source) {
        byte[] der = pemBody(pem, PRIVATE_LABEL, source);
        return (PrivateKey) decode(der, new PKCS8EncodedKeySpec(der), true, source);
    }

    /**
     * Reads an Ed25519 public key from X.509 PEM text.
     *
     * @param source names the text in messages (usually its file)
     * @throws SigningKeyException when the text holds no such key
     */
    public static PublicKey parsePublicKey(String pem, String source) {
        byte[] der = pemBody(pem, PUBLIC_LABEL, source);
        return (PublicKey) decode(der, new X509EncodedKeySpec(der), false, source);
    }

    /**
     * Reads the private key file; it must not be readable by every user.
     *
     * @throws SigningKeyException when the file is missing, unreadable, readable by everyone, or holds no Ed25519
     *                             private key
     */
    public static PrivateKey readPrivateKey(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.OTHERS_READ)) {
                throw new SigningKeyException("the definitions signing key " + file + " can be read by every user ("
                        + PosixFilePermissions.toString(mode) + "); make it private first: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to check
        } catch (IOException e) {
            throw unreadable("definitions signing key", file, e);
        }
        return parsePrivateKey(readText("definitions signing key", file), file.toString());
    }

    /**
     * Reads a public key file.
     *
     * @throws SigningKeyException when the file is missing, unreadable, or holds no Ed25519 public key
     */
    public static PublicKey readPublicKey(Path file) {
        return parsePublicKey(readText("definitions public key", file), file.toString());
    }

    /** Where the public key of the private key file {@code NAME.pem} (or {@code NAME}) is: {@code NAME.pub.pem}. */
    public static Path publicKeyFile(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
        return privateKeyFile.resolveSibling(base + ".pub.pem");
    }

    /**
     * Reads the key pair kept at {@code privateKeyFile} and {@link #publicKeyFile} and checks that they belong
     * together.
     *
     * @throws SigningKeyException when either cannot be read or they do not match
     */
    public static KeyPair readKeyPair(Path privateKeyFile) {
        PrivateKey privateKey = readPrivateKey(privateKeyFile);
        Path publicFile = publicKeyFile(privateKeyFile);
        if (!Files.exists(publicFile)) {
            throw new SigningKeyException("the public key of " + privateKeyFile + " is missing: expected " + publicFile
                    + " (restore it, or write it with: openssl pkey -in " + privateKeyFile + " -pubout -out "
                    + publicFile + ")");
        }
        PublicKey publicKey = readPublicKey(publicFile);
        KeyPair pair = new KeyPair(publicKey, privateKey);
        byte[] probe = "key pair check".getBytes(StandardCharsets.US_ASCII);
        if (!verify(publicKey, "check", probe, sign(pair, "check", probe, Instant.EPOCH))) {
            throw new SigningKeyException(publicFile + " is not the public key of " + privateKeyFile
                    + " (write it again with: openssl pkey -in " + privateKeyFile + " -pubout -out " + publicFile
                    + ")");
        }
        return pair;
    }

    /**
     * Writes a new key pair at {@code privateKeyFile} (mode 0600) and {@link #publicKeyFile} unless the private key
     * file exists already (a public key file alone is overwritten: without its private key it is of no use). Safe
     * against another process doing the same at once: one pair wins (a lock file {@code .NAME.lock} stays in the
     * directory). An existing private key's directory is not written to.
     *
     * @return whether a pair was written
     * @throws SigningKeyException when the files cannot be written
     */
    public static synchronized boolean createKeyPairIfAbsent(Path privateKeyFile) {
        Path file = privateKeyFile.toAbsolutePath();
        if (Files.exists(file)) {
            // Nothing to write: the directory may well be read-only (a mounted secret).
            return false;
        }
        Path dir = file.getParent();
        Path lock = dir.resolve("." + file.getFileName() + ".lock");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(file)) {
                    return false;
                }
                writeKeyPair(file, generateKeyPair());
                return true;
            }
        } catch (IOException e) {
            throw new SigningKeyException("cannot write the definitions signing key " + file + ": " + SettingsTree.reason(e), e);
        }
    }

    /**
     * Writes a key pair: the public key file first, then the private key (mode 0600), each atomically, so an
     * existing private key file always has its public key next to it.
     */
    public static void writeKeyPair(Path privateKeyFile, KeyPair pair) throws IOException {
        Path publicFile = publicKeyFile(privateKeyFile);
        Path publicTmp = Files.createTempFile(publicFile.toAbsolutePath().getParent(), ".pub-", ".tmp");
        Path privateTmp = null;
        try {
            Files.writeString(publicTmp, publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
            setMode(publicTmp, "rw-r--r--");
            Files.move(publicTmp, publicFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            privateTmp = Files.createTempFile(privateKeyFile.toAbsolutePath().getParent(), ".key-", ".tmp");
            setMode(privateTmp, "rw-------");
            Files.writeString(privateTmp, privateKeyPem(pair.getPrivate()), StandardCharsets.US_ASCII);
            Files.move(privateTmp, privateKeyFile, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(publicTmp);
            if (privateTmp != null) {
                Files.deleteIfExists(privateTmp);
            }
        }
    }

    private static void setMode(Path file, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] pemBody(String text, String label, String source) {
        String expected = (label.equals(PUBLIC_LABEL) ? "an " + ALGORITHM + " public key"
                : "an " + ALGORITHM + " private key") + " in PEM (-----BEGIN " + label + "-----)";
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    throw new SigningKeyException(source + ": the " + label + " block is not valid base64");
                }
            }
        }
        Matcher other = ANY_BEGIN.matcher(text);
        if (other.find()) {
            String found = other.group(1).strip();
            String hint = found.equals(PRIVATE_LABEL) && label.equals(PUBLIC_LABEL)
                    ? "; this is a private key: give its public key (openssl pkey -in FILE -pubout)"
                    : found.equals(PUBLIC_LABEL) && label.equals(PRIVATE_LABEL)
                    ? "; this is a public key: give the private key" : "";
            throw new SigningKeyException(source + " holds a " + found + " block, expected " + expected + hint
                    + (hint.isEmpty() && label.equals(PRIVATE_LABEL) ? " (create one with: " + CREATE_HINT + ")" : ""));
        }
        throw new SigningKeyException(source + " is not a PEM file: expected " + expected);
    }

    private static Object decode(byte[] der, KeySpec spec, boolean privateKey, String source) {
        String kind = privateKey ? "private" : "public";
        try {
            KeyFactory f = KeyFactory.getInstance(ALGORITHM);
            return privateKey ? f.generatePrivate(spec) : f.generatePublic(spec);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
        } catch (GeneralSecurityException | RuntimeException e) {
            String other = otherAlgorithm(der, privateKey);
            throw new SigningKeyException(source + " is " + (other == null ? "not a readable " + kind + " key"
                    : "an " + other + " " + kind + " key") + ", expected an " + ALGORITHM + " " + kind + " key"
                    + (privateKey ? " (create one with: " + CREATE_HINT + ")" : ""), e);
        }
    }

    /** The algorithm of a key that is not Ed25519, or null if none of the usual ones reads it. */
    private static String otherAlgorithm(byte[] der, boolean privateKey) {
        for (String algorithm : OTHER_ALGORITHMS) {
            try {
                KeyFactory f = KeyFactory.getInstance(algorithm);
                if (privateKey) {
                    f.generatePrivate(new PKCS8EncodedKeySpec(der));
                } else {
                    f.generatePublic(new X509EncodedKeySpec(der));
                }
                return algorithm;
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this one
            }
        }
        return null;
    }

    private static String readText(String what, Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new SigningKeyException("the " + what + " " + file + " is a directory, not a PEM file");
            }
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new SigningKeyException("the " + what + " " + file + " is too large for a key file");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw unreadable(what, file, e);
        }
    }

    private static SigningKeyException unreadable(String what, Path file, IOException e) {
        return new SigningKeyException("cannot read the " + what + " " + file + ": " + SettingsTree.reason(e), e);
    }
}
