package net.tracemesh.record;

import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to one ping probe, with the character router CLIs print for it. */
public enum PingOutcome {
    REPLY('!'),
    TIMEOUT('.'),
    UNREACHABLE('U'),
    FRAG_NEEDED('M'),
    TIME_EXCEEDED('&'),
    SOURCE_QUENCH('Q'),
    OTHER('?');

    private final char symbol;

    PingOutcome(char symbol) {
        this.symbol = symbol;
    }

    /** The per-probe character (`!` reply, `.` timeout, `U` unreachable, `M` fragmentation needed ...). */
    public char symbol() {
        return symbol;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
