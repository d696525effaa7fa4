package net.tracemesh.measurement;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The signature of one record on the measurements topic, as it travels in the record's headers (the value stays the
 * definition's JSON, so every reader of the topic reads it as before). Header values are ASCII text:
 * {@value DefinitionSigning#KEY_ID_HEADER} the signing key's id (16 hex digits, {@link DefinitionSigning#keyId}),
 * {@value DefinitionSigning#SIGNED_AT_HEADER} the signing time in epoch milliseconds (decimal), and
 * {@value DefinitionSigning#SIGNATURE_HEADER} the 64-byte Ed25519 signature in base64.
 *
 * @param keyId     id of the key that signed
 * @param signedAt  when it was signed (millisecond precision)
 * @param signature the Ed25519 signature over {@link DefinitionSigning#signedBytes}
 */
public record DefinitionSignature(String keyId, Instant signedAt, byte[] signature) {
    /** Ed25519 signatures are 64 bytes. */
    public static final int SIGNATURE_BYTES = 64;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern MILLIS = Pattern.compile("-?[0-9]{1,19}");

    public DefinitionSignature {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException(DefinitionSigning.KEY_ID_HEADER + ": '" + keyId
                    + "' is not a key id (16 lower-case hex digits)");
        }
        if (signedAt == null) {
            throw new IllegalArgumentException(DefinitionSigning.SIGNED_AT_HEADER + ": missing");
        }
        signedAt = Instant.ofEpochMilli(signedAt.toEpochMilli());
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException(DefinitionSigning.SIGNATURE_HEADER + ": expected "
                    + SIGNATURE_BYTES + " bytes, got " + (signature == null ? "none" : signature.length));
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The three headers, in a fixed order, as they go onto a Kafka record. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(DefinitionSigning.KEY_ID_HEADER, ascii(keyId));
        h.put(DefinitionSigning.SIGNED_AT_HEADER, ascii(Long.toString(signedAt.toEpochMilli())));
        h.put(DefinitionSigning.SIGNATURE_HEADER, ascii(Base64.getEncoder().encodeToString(signature)));
        return h;
    }

    /**
     * Reads a signature from a record's headers.
     *
     * @param header a header's value by name, null when the record has none of that name (with Kafka:
     *               {@code name -> { Header h = record.headers().lastHeader(name); return h == null ? null :
     *               h.value(); }})
     * @return empty when the record carries none of the three headers (it is unsigned)
     * @throws IllegalArgumentException when some are there but not all, or one cannot be read; the message names it
     */
    public static Optional<DefinitionSignature> fromHeaders(Function<String, byte[]> header) {
        byte[] keyId = header.apply(DefinitionSigning.KEY_ID_HEADER);
        byte[] signedAt = header.apply(DefinitionSigning.SIGNED_AT_HEADER);
        byte[] signature = header.apply(DefinitionSigning.SIGNATURE_HEADER);
        if (keyId == null && signedAt == null && signature == null) {
            return Optional.empty();
        }
        String missing = keyId == null ? DefinitionSigning.KEY_ID_HEADER
                : signedAt == null ? DefinitionSigning.SIGNED_AT_HEADER
                : signature == null ? DefinitionSigning.SIGNATURE_HEADER : null;
        if (missing != null) {
            throw new IllegalArgumentException(missing + ": missing (the record has only part of a signature)");
        }
        String millis = new String(signedAt, StandardCharsets.US_ASCII);
        if (!MILLIS.matcher(millis).matches()) {
            throw new IllegalArgumentException(DefinitionSigning.SIGNED_AT_HEADER + ": '" + printable(millis)
                    + "' is not epoch milliseconds");
        }
        Instant at;
        try {
            at = Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(DefinitionSigning.SIGNED_AT_HEADER + ": '" + millis
                    + "' is out of range");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DefinitionSigning.SIGNATURE_HEADER + ": not base64");
        }
        return Optional.of(new DefinitionSignature(printable(new String(keyId, StandardCharsets.US_ASCII)), at,
                decoded));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DefinitionSignature s && keyId.equals(s.keyId) && signedAt.equals(s.signedAt)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * keyId.hashCode() + signedAt.hashCode()) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "DefinitionSignature[keyId=" + keyId + ", signedAt=" + signedAt + ", signature="
                + Base64.getEncoder().encodeToString(signature) + "]";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The text cut to 40 characters with control characters replaced, for messages about bad headers. */
    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
