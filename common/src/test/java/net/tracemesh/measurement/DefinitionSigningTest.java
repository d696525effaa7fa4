package net.tracemesh.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionSigningTest {
    private static final KeyPair PAIR = DefinitionSigning.generateKeyPair();
    private static final byte[] VALUE = "{\"schema\":1,\"id\":\"m1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00.123Z");

    @Test
    void aSignatureVerifiesForExactlyTheRecordItSigned() {
        DefinitionSignature s = DefinitionSigning.sign(PAIR, "m1", VALUE, AT);
        assertThat(s.keyId()).isEqualTo(DefinitionSigning.keyId(PAIR.getPublic())).hasSize(16);
        assertThat(s.signedAt()).isEqualTo(AT);
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", VALUE, s)).isTrue();

        byte[] tampered = VALUE.clone();
        tampered[tampered.length - 2] ^= 1;
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", tampered, s)).as("value").isFalse();
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m2", VALUE, s)).as("key").isFalse();
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", null, s)).as("made a deletion").isFalse();
        DefinitionSignature otherTime = new DefinitionSignature(s.keyId(), AT.plusMillis(1), s.signature());
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", VALUE, otherTime)).as("time").isFalse();
        assertThat(DefinitionSigning.verify(DefinitionSigning.generateKeyPair().getPublic(), "m1", VALUE, s))
                .as("another key").isFalse();
    }

    @Test
    void deletionsAreSignedWithAMarkerThatNoValueMatches() {
        DefinitionSignature deletion = DefinitionSigning.sign(PAIR, "m1", null, AT);
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", null, deletion)).isTrue();
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", new byte[0], deletion)).as("empty = deleted")
                .isTrue();
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m2", null, deletion)).isFalse();
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", new byte[] {0}, deletion)).isFalse();
        assertThat(DefinitionSigning.signedBytes("m1", AT, null))
                .isNotEqualTo(DefinitionSigning.signedBytes("m1", AT, new byte[] {0}));
    }

    @Test
    void signedBytesCannotBeShiftedBetweenKeyAndValue() {
        assertThat(DefinitionSigning.signedBytes("ab", AT, "c".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(DefinitionSigning.signedBytes("a", AT, "bc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void headersRoundTrip() {
        DefinitionSignature s = DefinitionSigning.sign(PAIR, "m1", VALUE, AT);
        Map<String, byte[]> headers = s.headers();
        assertThat(headers).containsOnlyKeys(DefinitionSigning.KEY_ID_HEADER, DefinitionSigning.SIGNED_AT_HEADER,
                DefinitionSigning.SIGNATURE_HEADER);
        assertThat(new String(headers.get(DefinitionSigning.SIGNED_AT_HEADER), StandardCharsets.US_ASCII))
                .isEqualTo(Long.toString(AT.toEpochMilli()));
        assertThat(DefinitionSignature.fromHeaders(headers::get)).contains(s);
        assertThat(DefinitionSignature.fromHeaders(name -> null)).isEmpty();
    }

    @Test
    void incompleteOrUnreadableHeadersAreRefusedNamingTheHeader() {
        Map<String, byte[]> good = DefinitionSigning.sign(PAIR, "m1", VALUE, AT).headers();
        assertThatThrownBy(() -> DefinitionSignature.fromHeaders(name ->
                name.equals(DefinitionSigning.SIGNATURE_HEADER) ? null : good.get(name)))
                .hasMessageStartingWith(DefinitionSigning.SIGNATURE_HEADER + ": missing");
        assertThatThrownBy(() -> DefinitionSignature.fromHeaders(with(good, DefinitionSigning.SIGNED_AT_HEADER,
                "yesterday"))).hasMessageStartingWith(DefinitionSigning.SIGNED_AT_HEADER + ": 'yesterday'");
        assertThatThrownBy(() -> DefinitionSignature.fromHeaders(with(good, DefinitionSigning.SIGNATURE_HEADER,
                "!!!"))).hasMessage(DefinitionSigning.SIGNATURE_HEADER + ": not base64");
        assertThatThrownBy(() -> DefinitionSignature.fromHeaders(with(good, DefinitionSigning.SIGNATURE_HEADER,
                Base64.getEncoder().encodeToString(new byte[10]))))
                .hasMessageStartingWith(DefinitionSigning.SIGNATURE_HEADER + ": expected 64 bytes");
        assertThatThrownBy(() -> DefinitionSignature.fromHeaders(with(good, DefinitionSigning.KEY_ID_HEADER,
                "XYZ"))).hasMessageStartingWith(DefinitionSigning.KEY_ID_HEADER + ": 'XYZ'");
    }

    @Test
    void pemRoundTripsAndReadsOpensslLayout() {
        String privatePem = DefinitionSigning.privateKeyPem(PAIR.getPrivate());
        String publicPem = DefinitionSigning.publicKeyPem(PAIR.getPublic());
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        PublicKey readBack = DefinitionSigning.parsePublicKey(publicPem, "t");
        assertThat(readBack.getEncoded()).isEqualTo(PAIR.getPublic().getEncoded());
        KeyPair pair = new KeyPair(readBack, DefinitionSigning.parsePrivateKey(privatePem, "t"));
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", VALUE, DefinitionSigning.sign(pair, "m1", VALUE,
                AT))).isTrue();
        // What `openssl genpkey -algorithm ed25519` writes (RFC 8410's example key), with a comment line around it.
        String openssl = "comment\n-----BEGIN PRIVATE KEY-----\r\n"
                + "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\r\n"
                + "-----END PRIVATE KEY-----\r\n";
        assertThat(DefinitionSigning.parsePrivateKey(openssl, "t").getAlgorithm()).isIn("EdDSA", "Ed25519");
        assertThat(DefinitionSigning.parsePublicKey("-----BEGIN PUBLIC KEY-----\n"
                + "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n", "t"))
                .isNotNull();
    }

    @Test
    void badPemInputIsRefusedWithAReason() throws Exception {
        String privatePem = DefinitionSigning.privateKeyPem(PAIR.getPrivate());
        String publicPem = DefinitionSigning.publicKeyPem(PAIR.getPublic());
        assertThatThrownBy(() -> DefinitionSigning.parsePublicKey("hello", "f.pem"))
                .isInstanceOf(SigningKeyException.class).hasMessageStartingWith("f.pem is not a PEM file");
        assertThatThrownBy(() -> DefinitionSigning.parsePublicKey(privatePem, "f.pem"))
                .hasMessageContaining("holds a PRIVATE KEY").hasMessageContaining("this is a private key");
        assertThatThrownBy(() -> DefinitionSigning.parsePrivateKey(publicPem, "f.pem"))
                .hasMessageContaining("holds a PUBLIC KEY").hasMessageContaining("give the private key");
        assertThatThrownBy(() -> DefinitionSigning.parsePrivateKey(
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "f.pem"))
                .hasMessageContaining("holds a RSA PRIVATE KEY block").hasMessageContaining("openssl genpkey");
        assertThatThrownBy(() -> DefinitionSigning.parsePublicKey(
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "f.pem"))
                .hasMessageStartingWith("f.pem is not a readable public key");
        assertThatThrownBy(() -> DefinitionSigning.parsePublicKey(
                "-----BEGIN PUBLIC KEY-----\nMC@@\n-----END PUBLIC KEY-----\n", "f.pem"))
                .isInstanceOf(SigningKeyException.class);

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair rsaPair = rsa.generateKeyPair();
        String rsaPublic = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsaPair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertThatThrownBy(() -> DefinitionSigning.parsePublicKey(rsaPublic, "rsa.pem"))
                .hasMessage("rsa.pem is an RSA public key, expected an Ed25519 public key");
    }

    @Test
    void keyFilesAreCreatedOnceReadBackAndChecked(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("sub").resolve(DefinitionSigning.PRIVATE_KEY_FILE);
        Path pub = DefinitionSigning.publicKeyFile(key);
        assertThat(pub.getFileName().toString()).isEqualTo(DefinitionSigning.PUBLIC_KEY_FILE);
        assertThat(DefinitionSigning.publicKeyFile(dir.resolve("k")).getFileName().toString()).isEqualTo("k.pub.pem");

        assertThat(DefinitionSigning.createKeyPairIfAbsent(key)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        KeyPair pair = DefinitionSigning.readKeyPair(key);
        assertThat(DefinitionSigning.readPublicKey(pub).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(DefinitionSigning.createKeyPairIfAbsent(key)).as("kept").isFalse();
        assertThat(DefinitionSigning.readKeyPair(key).getPublic().getEncoded())
                .isEqualTo(pair.getPublic().getEncoded());
        try (var files = Files.list(key.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(DefinitionSigning.PRIVATE_KEY_FILE, DefinitionSigning.PUBLIC_KEY_FILE,
                            "." + DefinitionSigning.PRIVATE_KEY_FILE + ".lock");
        }

        // An existing pair in a read-only directory (a mounted secret) is used as it is.
        Path secret = dir.resolve("secret");
        DefinitionSigning.writeKeyPair(Files.createDirectory(secret).resolve("k.pem"), PAIR);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r-x------"));
        try {
            assertThat(DefinitionSigning.createKeyPairIfAbsent(secret.resolve("k.pem"))).isFalse();
            assertThat(DefinitionSigning.readKeyPair(secret.resolve("k.pem")).getPublic().getEncoded())
                    .isEqualTo(PAIR.getPublic().getEncoded());
        } finally {
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
        }
        try (var files = Files.list(secret)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("k.pem", "k.pub.pem");
        }

        // The public key of another pair next to it.
        Files.writeString(pub, DefinitionSigning.publicKeyPem(PAIR.getPublic()));
        assertThatThrownBy(() -> DefinitionSigning.readKeyPair(key))
                .hasMessageContaining("is not the public key of " + key);
        Files.delete(pub);
        assertThatThrownBy(() -> DefinitionSigning.readKeyPair(key))
                .hasMessageContaining("the public key of " + key + " is missing");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> DefinitionSigning.readPrivateKey(key))
                .hasMessageContaining("can be read by every user")
                .hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> DefinitionSigning.readPublicKey(dir.resolve("absent.pem")))
                .isInstanceOf(SigningKeyException.class)
                .hasMessage("cannot read the definitions public key " + dir.resolve("absent.pem") + ": no such file");
        assertThatThrownBy(() -> DefinitionSigning.readPublicKey(dir))
                .hasMessageContaining("is a directory");
    }

    @Test
    void signatureValuesAreCopied() {
        DefinitionSignature s = DefinitionSigning.sign(PAIR, "m1", VALUE, AT);
        s.signature()[0] ^= 1;
        assertThat(DefinitionSigning.verify(PAIR.getPublic(), "m1", VALUE, s)).isTrue();
        assertThat(Optional.of(s)).contains(DefinitionSignature.fromHeaders(s.headers()::get).orElseThrow());
    }

    private static java.util.function.Function<String, byte[]> with(Map<String, byte[]> headers, String name,
                                                                     String value) {
        return n -> n.equals(name) ? value.getBytes(StandardCharsets.US_ASCII) : headers.get(n);
    }
}
