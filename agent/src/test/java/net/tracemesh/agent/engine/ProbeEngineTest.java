package net.tracemesh.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.tracemesh.agent.capture.CaptureListener;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.agent.capture.PacketChannel;
import net.tracemesh.agent.ping.PingOptions;
import net.tracemesh.agent.ping.PingTask;
import net.tracemesh.agent.probe.ProbeMethod;
import net.tracemesh.agent.probe.ReplyFrames;
import net.tracemesh.agent.route.EgressResolver;
import net.tracemesh.agent.route.LocalInterface;
import net.tracemesh.agent.route.LocalInterfaces;
import net.tracemesh.agent.route.RouteTable;
import net.tracemesh.agent.trace.TraceOptions;
import net.tracemesh.agent.trace.TraceTask;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.PingOutcome;
import net.tracemesh.record.PingProbeRecord;
import net.tracemesh.record.PingRecord;
import net.tracemesh.record.StopReason;
import net.tracemesh.record.TraceRecord;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.icmp.IcmpError;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;
import org.junit.jupiter.api.Test;

/**
 * The whole engine on its own thread, with a packet channel played by the test: it answers every probe at once
 * the way a three-hop path would. Destinations are loopback addresses, which the resolver sends through the
 * loopback interface without ARP; anything else has no route. No real packet channel is opened.
 */
class ProbeEngineTest {
    private static final LocalInterface LO = new LocalInterface("lo", new byte[6], 65_536, true,
            List.of(new LocalInterface.InterfaceAddress(Ipv4Address.parse("127.0.0.1"), 8)));

    /** Answers UDP probes with TTL below 3 with time exceeded from 198.18.TTL.1, the rest with port unreachable. */
    private static final class FakePath implements PacketChannel {
        final List<byte[]> sent = new ArrayList<>();
        final List<String> filters = new ArrayList<>();
        CaptureListener listener;
        boolean closed;

        @Override
        public String interfaceName() {
            return "lo";
        }

        @Override
        public LinkType linkType() {
            return LinkType.ETHERNET;
        }

        @Override
        public synchronized void send(byte[] frame, int length) {
            byte[] probe = Arrays.copyOf(frame, length);
            sent.add(probe);
            Ipv4Header ip = Ipv4Codec.decode(probe, 14, length - 14).header();
            long now = System.currentTimeMillis() * 1000;
            byte[] reply;
            if (ip.protocol() == IpProtocol.ICMP) {
                reply = ReplyFrames.echoReply(probe, 14, 64);
            } else if (ip.ttl() < 3) {
                reply = ReplyFrames.icmpError(Ipv4Address.parse("198.18." + ip.ttl() + ".1"), ip.source(), 64,
                        IcmpError.timeExceeded(0, ReplyFrames.quote(probe, 14, 8)));
            } else {
                reply = ReplyFrames.icmpError(ip.destination(), ip.source(), 64,
                        IcmpError.unreachable(3, ReplyFrames.quote(probe, 14, 8)));
            }
            listener.onFrame(reply, now);
        }

        @Override
        public void startCapture(String filter, CaptureListener captureListener) {
            filters.add(filter);
            this.listener = captureListener;
        }

        @Override
        public long kernelDrops() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void tracesAndPingsRunToTheirEndAndUnroutableTargetsFail() throws Exception {
        FakePath path = new FakePath();
        List<String> opened = new ArrayList<>();
        EgressResolver resolver = new EgressResolver(new RouteTable(List.of()), new LocalInterfaces(List.of(LO)));
        RecordingSink<TraceRecord> traces = new RecordingSink<>();
        RecordingSink<PingRecord> pings = new RecordingSink<>();
        TraceOptions options = new TraceOptions(ProbeMethod.UDP_PARIS, 1, 30, 2, 5_000_000_000L, 33_434, 8, 5, 1,
                false, 0);
        int traced = Ipv4Address.parse("127.0.0.9");
        int pinged = Ipv4Address.parse("127.0.0.10");
        int unroutable = Ipv4Address.parse("198.18.77.1");
        List<ProbeTask> tasks = List.of(new TraceTask(traced, options, traces),
                new TraceTask(unroutable, options, traces),
                // One echo request only: later ones would race the interval timer against the rate limit.
                new PingTask(pinged, new PingOptions(1, 1_000_000L, 56, 64, 5_000_000_000L, false), pings));

        try (ProbeEngine engine = new ProbeEngine(new EngineConfig(1e6, 4, 40_000), resolver, name -> {
            opened.add(name);
            return path;
        }, tasks.iterator())) {
            engine.start().drained().get(30, TimeUnit.SECONDS);

            EngineStats stats = engine.stats();
            assertThat(stats.probesSent()).isEqualTo(path.sent.size());
            assertThat(stats.sendErrors()).isZero();
            assertThat(stats.repliesMatched()).isGreaterThanOrEqualTo(2 * 3 + 1);
            assertThat(engine.stats().firstSendError()).isNull();
        }

        assertThat(opened).containsExactly("lo");
        assertThat(path.filters).singleElement().asString().startsWith("icmp");
        assertThat(path.closed).isTrue();

        TraceRecord trace = traces.only();
        assertThat(trace.dst()).isEqualTo("127.0.0.9");
        assertThat(trace.src()).isEqualTo("127.0.0.9");
        assertThat(trace.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(trace.stopTtl()).isEqualTo(3);
        assertThat(trace.hops()).extracting(HopRecord::ttl, HopRecord::probe, HopRecord::addr).containsExactly(
                tuple(1, 0, "198.18.1.1"),
                tuple(1, 1, "198.18.1.1"),
                tuple(2, 0, "198.18.2.1"),
                tuple(2, 1, "198.18.2.1"),
                tuple(3, 0, "127.0.0.9"),
                tuple(3, 1, "127.0.0.9"));
        assertThat(traces.failures()).containsExactly(
                new RecordingSink.Failure(unroutable, "no route to 198.18.77.1"));

        PingRecord ping = pings.only();
        assertThat(ping.dst()).isEqualTo("127.0.0.10");
        assertThat(ping.sent()).isEqualTo(1);
        assertThat(ping.received()).isEqualTo(1);
        assertThat(ping.probes()).extracting(PingProbeRecord::seq).containsExactly(0);
        assertThat(ping.probes()).extracting(PingProbeRecord::outcome).containsOnly(PingOutcome.REPLY);
    }

    @Test
    void anEmptyRunDrainsAtOnce() throws Exception {
        EgressResolver resolver = new EgressResolver(new RouteTable(List.of()), new LocalInterfaces(List.of(LO)));
        try (ProbeEngine engine = new ProbeEngine(new EngineConfig(100, 1, 40_000), resolver, name -> {
            throw new AssertionError("no channel may be opened");
        }, List.<ProbeTask>of().iterator())) {
            engine.start().drained().get(30, TimeUnit.SECONDS);
            assertThat(engine.stats().probesSent()).isZero();
        }
    }

    @Test
    void submittedTasksRunToo() throws Exception {
        FakePath path = new FakePath();
        EgressResolver resolver = new EgressResolver(new RouteTable(List.of()), new LocalInterfaces(List.of(LO)));
        RecordingSink<PingRecord> pings = new RecordingSink<>();
        try (ProbeEngine engine = new ProbeEngine(new EngineConfig(1e6, 1, 40_000), resolver, name -> path,
                List.<ProbeTask>of().iterator())) {
            engine.submit(new PingTask(Ipv4Address.parse("127.0.0.11"),
                    new PingOptions(1, 1_000_000L, 56, 64, 5_000_000_000L, false), pings));
            engine.start().drained().get(30, TimeUnit.SECONDS);
        }
        assertThat(pings.only().received()).isEqualTo(1);
    }
}
