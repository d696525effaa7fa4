package net.tracemesh.agent.output;

import java.util.Locale;
import net.tracemesh.record.PingOutcome;
import net.tracemesh.record.PingProbeRecord;
import net.tracemesh.record.PingRecord;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.UnreachableCode;

/**
 * Writes a ping run: a line per probe as ping prints them, the per-probe character string of router CLIs
 * ({@code !} reply, {@code .} timeout, {@code U} unreachable, {@code M} fragmentation needed, {@code &} TTL
 * exceeded, {@code Q} source quench, {@code ?} other), then ping's summary lines.
 */
public final class PingTextWriter {
    private PingTextWriter() {
    }

    public static String format(PingRecord ping) {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "PING %s from %s: %d data bytes, ttl %d%s%n", ping.dst(), ping.src(),
                ping.size(), ping.ttl(), ping.df() ? ", DF" : ""));
        StringBuilder symbols = new StringBuilder();
        for (PingProbeRecord p : ping.probes()) {
            symbols.append(p.outcome().symbol());
            out.append(probeLine(p)).append(nl);
        }
        out.append(symbols).append(nl);
        out.append("--- ").append(ping.dst()).append(" ping statistics ---").append(nl);
        out.append(String.format(Locale.ROOT, "%d packets transmitted, %d received, %s%% packet loss%n", ping.sent(),
                ping.received(), trim(ping.lossPct())));
        if (ping.rttMinMs() != null) {
            out.append(String.format(Locale.ROOT, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n", ping.rttMinMs(),
                    ping.rttAvgMs(), ping.rttMaxMs(), ping.rttMdevMs()));
        }
        return out.toString();
    }

    private static String probeLine(PingProbeRecord p) {
        return switch (p.outcome()) {
            case REPLY -> String.format(Locale.ROOT, "reply from %s: icmp_seq=%d time=%.3f ms", p.from(), p.seq(),
                    p.rttMs());
            case TIMEOUT -> String.format(Locale.ROOT, "no reply for icmp_seq=%d", p.seq());
            case FRAG_NEEDED -> String.format(Locale.ROOT, "from %s icmp_seq=%d Frag needed and DF set (mtu = %s)",
                    p.from(), p.seq(), p.mtu() == null ? "?" : p.mtu().toString());
            default -> String.format(Locale.ROOT, "from %s icmp_seq=%d %s", p.from(), p.seq(), describe(p));
        };
    }

    private static String describe(PingProbeRecord p) {
        if (p.outcome() == PingOutcome.UNREACHABLE) {
            return "Destination unreachable: " + UnreachableCode.name(p.icmpCode());
        }
        if (p.outcome() == PingOutcome.TIME_EXCEEDED) {
            return "Time to live exceeded";
        }
        return IcmpType.name(p.icmpType()) + " code " + p.icmpCode();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
