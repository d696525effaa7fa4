package net.tracemesh.web.config;

import java.nio.file.Path;
import net.tracemesh.measurement.DefinitionSigning;

/**
 * How the web publishes measurement definitions ({@code measurements:} in web.yaml).
 *
 * @param signingKey the Ed25519 private key (PKCS#8 PEM, mode 0600) that signs every definition and deletion the web
 *                   publishes, its public key next to it as {@code NAME.pub.pem}; both are created on the first start
 *                   when the file does not exist [{@value DefinitionSigning#PRIVATE_KEY_FILE} in {@code store.data-dir}
 *                   for an embedded store, else in {@code ./tracemesh-web-data}]
 */
public record MeasurementSettings(Path signingKey) {
    /** Where the key is kept when nothing says otherwise and the store is not embedded. */
    public static final Path DEFAULT_DIR = Path.of("tracemesh-web-data");

    public MeasurementSettings {
        if (signingKey == null || signingKey.getFileName() == null) {
            throw new IllegalArgumentException("measurements.signing-key: is missing");
        }
    }

    /** The public key's file, next to the private key. */
    public Path publicKey() {
        return DefinitionSigning.publicKeyFile(signingKey);
    }
}
