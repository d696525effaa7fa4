package net.tracemesh.agent.measurement;

/**
 * A measurement definition the agent's {@link TargetPolicy} refuses as a whole, with why ({@link #reason()}) and
 * a one-line message naming the measurement, the target and the rule.
 */
public final class PolicyViolation extends Exception {
    /** Which rule refused the definition. */
    public enum Reason {
        /** A target address is multicast, reserved, broadcast, 0/8, loopback (unless allowed) or denied. */
        FORBIDDEN_TARGET,
        /** The worst case probes of one round exceed the agent's limit. */
        OVER_BUDGET,
        /** More target addresses than the agent's limit. */
        TOO_MANY_TARGETS
    }

    private final Reason reason;

    public PolicyViolation(Reason reason, String message) {
        super(message);
        if (reason == null) {
            throw new IllegalArgumentException("reason is missing");
        }
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
