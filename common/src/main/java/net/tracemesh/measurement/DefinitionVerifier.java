package net.tracemesh.measurement;

import java.security.PublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides which records of the measurements topic to trust, in topic order: a record is accepted when it carries a
 * valid signature ({@link DefinitionSignature} headers) by the trusted key, and was not signed earlier than the newest
 * record already accepted for the same measurement id (an older signed record written again is a replay: it would
 * roll a measurement back to an old version or undo a deletion). Deletions need a signature too.
 *
 * <p>With {@code acceptUnsigned} (for labs only), records without any signature header are accepted as well; a record
 * that carries a signature must still verify when a key is given. Without a trusted key and without
 * {@code acceptUnsigned}, nothing is accepted.
 *
 * <p>Not thread-safe: one verifier follows one reading of the topic, on one thread or context.
 */
public final class DefinitionVerifier {
    /** What became of a record. */
    public enum Outcome {
        /** Signed by the trusted key, not a replay. */
        VERIFIED(true),
        /** No signature, accepted because unsigned definitions are. */
        ACCEPTED_UNSIGNED(true),
        /** No signature. */
        UNSIGNED(false),
        /** Signature headers incomplete or unreadable, or a record without a key. */
        MALFORMED(false),
        /** Signed by another key than the trusted one. */
        UNKNOWN_KEY(false),
        /** The signature does not verify: the record was changed, or signed for another key, time or value. */
        BAD_SIGNATURE(false),
        /** Signed earlier than the newest record accepted for this measurement. */
        REPLAYED(false),
        /** No trusted key is configured (and unsigned definitions are not accepted). */
        NO_KEY(false);

        private final boolean accepted;

        Outcome(boolean accepted) {
            this.accepted = accepted;
        }

        public boolean accepted() {
            return accepted;
        }
    }

    /**
     * The decision about one record.
     *
     * @param outcome  what became of it
     * @param reason   why, a sentence for people (null when accepted)
     * @param signedAt the signing time when the record carried a readable signature, else null
     */
    public record Verdict(Outcome outcome, String reason, Instant signedAt) {
        public boolean accepted() {
            return outcome.accepted();
        }
    }

    private final PublicKey trusted;
    private final String trustedKeyId;
    private final boolean acceptUnsigned;
    /** Per measurement id, the signing time of the newest record accepted. */
    private final Map<String, Instant> newest = new HashMap<>();

    /**
     * @param trusted        the central side's public key, or null for none
     * @param acceptUnsigned whether records without a signature are accepted
     */
    public DefinitionVerifier(PublicKey trusted, boolean acceptUnsigned) {
        this.trusted = trusted;
        this.trustedKeyId = trusted == null ? null : DefinitionSigning.keyId(trusted);
        this.acceptUnsigned = acceptUnsigned;
    }

    /** The trusted key's id, or null. */
    public String trustedKeyId() {
        return trustedKeyId;
    }

    /**
     * Checks one record and, when it is accepted with a signature, remembers its signing time for its key.
     *
     * @param key    the record key (measurement id)
     * @param value  the record value, null (or empty) for a deletion
     * @param header the record's header values by name, null for an absent header
     */
    public Verdict check(String key, byte[] value, Function<String, byte[]> header) {
        Optional<DefinitionSignature> signature;
        try {
            signature = DefinitionSignature.fromHeaders(header);
        } catch (IllegalArgumentException e) {
            return new Verdict(Outcome.MALFORMED, "unreadable signature: " + e.getMessage(), null);
        }
        if (signature.isEmpty()) {
            return acceptUnsigned ? new Verdict(Outcome.ACCEPTED_UNSIGNED, null, null)
                    : new Verdict(trusted == null ? Outcome.NO_KEY : Outcome.UNSIGNED, trusted == null
                    ? "no public key is configured to verify definitions with" : "the record is not signed", null);
        }
        DefinitionSignature s = signature.get();
        if (trusted == null) {
            return acceptUnsigned ? new Verdict(Outcome.ACCEPTED_UNSIGNED, null, s.signedAt())
                    : new Verdict(Outcome.NO_KEY, "no public key is configured to verify definitions with",
                    s.signedAt());
        }
        if (key == null) {
            return new Verdict(Outcome.MALFORMED, "the record has no key", s.signedAt());
        }
        if (!s.keyId().equals(trustedKeyId)) {
            return new Verdict(Outcome.UNKNOWN_KEY, "signed by key " + s.keyId() + ", but only key " + trustedKeyId
                    + " is trusted", s.signedAt());
        }
        if (!DefinitionSigning.verify(trusted, key, value, s)) {
            return new Verdict(Outcome.BAD_SIGNATURE, "the signature does not match the record", s.signedAt());
        }
        Instant previous = newest.get(key);
        if (previous != null && s.signedAt().isBefore(previous)) {
            return new Verdict(Outcome.REPLAYED, "signed at " + s.signedAt() + ", before the newest accepted version ("
                    + previous + "): a replayed old record", s.signedAt());
        }
        newest.put(key, s.signedAt());
        return new Verdict(Outcome.VERIFIED, null, s.signedAt());
    }

    /** The signing time of the newest record accepted for this measurement id, if any. */
    public Optional<Instant> newestSignedAt(String key) {
        return Optional.ofNullable(newest.get(key));
    }
}
