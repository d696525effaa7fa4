package net.tracemesh.agent.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.StopReason;
import net.tracemesh.record.TraceRecord;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.UnreachableCode;

/**
 * Writes a trace the way traceroute prints one: a line per TTL, the address when it changes along the line,
 * an RTT per probe, {@code *} for a probe without reply, and traceroute's annotations ({@code !H !N !P !X
 * !F<mtu> ...}). Numeric only: no name look-ups.
 */
public final class TraceTextWriter {
    private TraceTextWriter() {
    }

    public static String format(TraceRecord trace) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "traceroute to %s from %s, %d hops max, %d byte packets, %s%n",
                trace.dst(), trace.src(), trace.maxTtl(), trace.probeSize(), trace.method()));
        int lastTtl = trace.stopTtl() != null ? trace.stopTtl() : trace.maxTtl();
        List<HopRecord> hops = trace.hops();
        int next = 0;
        for (int ttl = trace.firstTtl(); ttl <= lastTtl; ttl++) {
            List<HopRecord> atTtl = new ArrayList<>();
            while (next < hops.size() && hops.get(next).ttl() == ttl) {
                atTtl.add(hops.get(next++));
            }
            out.append(String.format(Locale.ROOT, "%2d ", ttl));
            String lastAddress = null;
            for (int probe = 0; probe < trace.probesPerHop(); probe++) {
                boolean any = false;
                for (HopRecord h : atTtl) {
                    if (h.probe() != probe) {
                        continue;
                    }
                    any = true;
                    if (!h.addr().equals(lastAddress)) {
                        out.append(' ').append(h.addr()).append(mpls(h.mpls()));
                        lastAddress = h.addr();
                    }
                    out.append(String.format(Locale.ROOT, "  %.3f ms", h.rttMs()));
                    String note = annotation(h, trace.dst());
                    if (!note.isEmpty()) {
                        out.append(' ').append(note);
                    }
                }
                if (!any) {
                    out.append(" *");
                }
            }
            out.append(System.lineSeparator());
        }
        if (trace.stopReason() == StopReason.GAP_LIMIT || trace.stopReason() == StopReason.LOOP) {
            out.append("    (stopped: ").append(trace.stopReason().wireName().replace('_', ' ')).append(')')
                    .append(System.lineSeparator());
        }
        if (trace.pathMtu() != null) {
            out.append("    path MTU ").append(trace.pathMtu()).append(System.lineSeparator());
        }
        return out.toString();
    }

    /** traceroute's mark for a reply: empty for time exceeded, an echo reply or port unreachable from the target. */
    static String annotation(HopRecord h, String destination) {
        if (h.icmpType() == null) {
            return "";
        }
        if (h.icmpType() == IcmpType.DESTINATION_UNREACHABLE) {
            if (h.icmpCode() == UnreachableCode.PORT && h.addr().equals(destination)) {
                return "";
            }
            return UnreachableCode.tracerouteAnnotation(h.icmpCode(), h.mtu() == null ? 0 : h.mtu());
        }
        return "";
    }

    private static String mpls(List<MplsLabel> labels) {
        if (labels == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (MplsLabel l : labels) {
            s.append(String.format(Locale.ROOT, " <MPLS:L=%d,E=%d,S=%d,T=%d>", l.label(), l.tc(), l.s() ? 1 : 0,
                    l.ttl()));
        }
        return s.toString();
    }
}
