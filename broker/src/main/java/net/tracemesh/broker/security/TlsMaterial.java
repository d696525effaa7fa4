package net.tracemesh.broker.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's TLS key material, made with the JDK's own {@code keytool} when absent: a private certificate
 * authority (kept only on the broker: {@code ca.p12}), the broker's key and certificate signed by it
 * ({@code broker.p12}, with the broker's host names and addresses as subject alternative names, so clients verify
 * the host name), and a truststore holding only the CA certificate ({@code truststore.p12}) that clients get. Every
 * store is PKCS12 with its own random password in a 0600 file; keytool reads passwords from those files, never from
 * its command line. The broker certificate is issued again (by the same CA) when the host names change or it
 * nears its end, so clients keep their truststore.
 */
final class TlsMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    static final String CA_ALIAS = "ca";
    static final String BROKER_ALIAS = "broker";
    static final String TRUST_ALIAS = "tracemesh-ca";
    static final int CA_VALIDITY_DAYS = 3650;
    static final int BROKER_VALIDITY_DAYS = 825;
    /** A broker certificate that ends sooner than this is issued again at start. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final SecurityFiles files;

    TlsMaterial(SecurityFiles files) {
        this.files = files;
    }

    /** Creates what is missing: CA, broker certificate for {@code hostnames}, truststore. */
    void ensure(Collection<String> hostnames) {
        List<String> names = List.copyOf(new TreeSet<>(hostnames));
        if (!Files.exists(files.caKeystore())) {
            Secrets.readOrCreate(files.caPassword());
            keytool("-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=tracemesh broker CA",
                    "-ext", "bc:c=ca:true,pathlen:0", "-ext", "ku:c=keyCertSign,cRLSign",
                    "-validity", Integer.toString(CA_VALIDITY_DAYS), "-keystore", files.caKeystore().toString(),
                    "-storetype", "PKCS12", "-storepass:file", files.caPassword().toString());
            deleteQuietly(files.brokerKeystore());
            deleteQuietly(files.truststore());
            LOG.info("created a private certificate authority in {}", files.caKeystore());
        }
        if (!Files.exists(files.caCertificate())) {
            keytool("-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", files.caKeystore().toString(),
                    "-storepass:file", files.caPassword().toString(), "-file", files.caCertificate().toString());
        }
        if (!Files.exists(files.truststore())) {
            Secrets.readOrCreate(files.truststorePassword());
            keytool("-importcert", "-noprompt", "-alias", TRUST_ALIAS, "-file", files.caCertificate().toString(),
                    "-keystore", files.truststore().toString(), "-storetype", "PKCS12",
                    "-storepass:file", files.truststorePassword().toString());
        }
        if (!brokerCertificateFits(names)) {
            issueBrokerCertificate(names);
        }
    }

    private boolean brokerCertificateFits(List<String> names) {
        if (!Files.exists(files.brokerKeystore()) || !Files.exists(files.brokerHostnames())) {
            return false;
        }
        List<String> recorded = Secrets.read(files.brokerHostnames()).lines().map(String::strip)
                .filter(l -> !l.isEmpty()).sorted().toList();
        if (!recorded.equals(names)) {
            LOG.info("broker host names changed from {} to {}: issuing a new broker certificate", recorded, names);
            return false;
        }
        try (InputStream in = Files.newInputStream(files.brokerKeystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, Secrets.read(files.brokerPassword()).toCharArray());
            X509Certificate cert = (X509Certificate) store.getCertificate(BROKER_ALIAS);
            if (cert == null) {
                return false;
            }
            cert.checkValidity(Date.from(Instant.now().plus(RENEW_BEFORE)));
            return true;
        } catch (IOException | GeneralSecurityException e) {
            LOG.info("broker certificate in {} is not usable ({}): issuing a new one", files.brokerKeystore(),
                    e.getMessage());
            return false;
        }
    }

    private void issueBrokerCertificate(List<String> names) {
        deleteQuietly(files.brokerKeystore());
        Path csr = files.dir().resolve("broker.csr");
        Path crt = files.dir().resolve("broker.crt");
        String keystore = files.brokerKeystore().toString();
        String password = files.brokerPassword().toString();
        Secrets.readOrCreate(files.brokerPassword());
        try {
            keytool("-genkeypair", "-alias", BROKER_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=tracemesh broker",
                    "-validity", Integer.toString(BROKER_VALIDITY_DAYS), "-keystore", keystore, "-storetype", "PKCS12",
                    "-storepass:file", password);
            keytool("-certreq", "-alias", BROKER_ALIAS, "-keystore", keystore, "-storepass:file", password,
                    "-file", csr.toString());
            keytool("-gencert", "-rfc", "-alias", CA_ALIAS, "-keystore", files.caKeystore().toString(),
                    "-storepass:file", files.caPassword().toString(), "-infile", csr.toString(), "-outfile",
                    crt.toString(), "-validity", Integer.toString(BROKER_VALIDITY_DAYS),
                    "-ext", "san=" + subjectAlternativeNames(names), "-ext", "eku=serverAuth,clientAuth",
                    "-ext", "ku:c=digitalSignature,keyAgreement");
            keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-file", files.caCertificate().toString(),
                    "-keystore", keystore, "-storepass:file", password);
            keytool("-importcert", "-noprompt", "-alias", BROKER_ALIAS, "-file", crt.toString(),
                    "-keystore", keystore, "-storepass:file", password);
        } finally {
            deleteQuietly(csr);
            deleteQuietly(crt);
        }
        Secrets.writeOwnerOnly(files.brokerHostnames(), String.join("\n", names) + "\n");
        LOG.info("issued the broker certificate for {} in {}", names, files.brokerKeystore());
    }

    /** keytool's {@code san=} value: {@code ip:} for address literals, {@code dns:} for names. */
    static String subjectAlternativeNames(Collection<String> names) {
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
            boolean ip = bare.indexOf(':') >= 0 || IPV4.matcher(bare).matches();
            parts.add((ip ? "ip:" : "dns:") + bare.toLowerCase(Locale.ROOT));
        }
        return String.join(",", parts);
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(files.dir().toFile()).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(KEYTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within " + KEYTOOL_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed (status " + p.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool from " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}", file, e);
        }
    }
}
