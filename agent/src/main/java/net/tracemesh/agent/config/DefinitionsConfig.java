package net.tracemesh.agent.config;

import java.nio.file.Path;
import java.security.PublicKey;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.DefinitionVerifier;

/**
 * Which measurement definitions from the central definitions topic the agent trusts ({@code definitions:} in
 * agent.yaml). The central side (the web) signs every definition and deletion it publishes; the agent runs only those
 * that verify with the central public key (see {@link DefinitionVerifier}). Without a key and without
 * {@code accept-unsigned}, the agent ignores the topic. Measurements in agent.yaml itself are not concerned.
 *
 * @param publicKeyFile  PEM file (X.509, Ed25519) of the central side's signing key, or null [null]
 * @param publicKey      the key read from it when the config was loaded, or null
 * @param acceptUnsigned also run definitions that carry no signature: for labs only [false]
 */
public record DefinitionsConfig(Path publicKeyFile, PublicKey publicKey, boolean acceptUnsigned) {
    /** No key, nothing unsigned: the topic is ignored. */
    public static final DefinitionsConfig NONE = new DefinitionsConfig(null, null, false);

    public DefinitionsConfig {
        if ((publicKeyFile == null) != (publicKey == null)) {
            throw new IllegalArgumentException("definitions.public-key: the file and the key read from it go"
                    + " together");
        }
    }

    /** Whether any definition from the topic can be accepted. */
    public boolean followsTopic() {
        return publicKey != null || acceptUnsigned;
    }

    /** The trusted key's id, or null. */
    public String keyId() {
        return publicKey == null ? null : DefinitionSigning.keyId(publicKey);
    }

    /** A verifier for one reading of the topic. */
    public DefinitionVerifier newVerifier() {
        return new DefinitionVerifier(publicKey, acceptUnsigned);
    }

    @Override
    public String toString() {
        return "DefinitionsConfig[publicKeyFile=" + publicKeyFile + ", keyId=" + keyId() + ", acceptUnsigned="
                + acceptUnsigned + "]";
    }
}
