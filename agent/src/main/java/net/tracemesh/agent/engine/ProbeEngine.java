package net.tracemesh.agent.engine;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import net.tracemesh.agent.capture.PacketChannel;
import net.tracemesh.agent.capture.PacketIoException;
import net.tracemesh.agent.probe.DropCounters;
import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.ProbeFrames;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.probe.ReplyParser;
import net.tracemesh.agent.ratelimit.TokenBucket;
import net.tracemesh.agent.route.Egress;
import net.tracemesh.agent.route.EgressResolver;
import net.tracemesh.agent.route.NoRouteException;

/**
 * Runs probe tasks (traces, pings) toward many destinations at once on one prober thread: it builds the probes
 * they ask for in one reusable frame buffer under a global token-bucket rate limit, matches captured replies
 * to tasks by destination and tag, and times probes out. A {@link FrameSender} thread hands the frames to the
 * kernel and reads each one's send time. Capture runs on a thread per interface, which parses
 * frames (pure function) and hands the replies over through a lock-free queue.
 *
 * <p>Tasks come from an iterator pulled lazily on the prober thread (bulk runs never hold all targets as
 * tasks) and from {@link #submit}, which any thread may call. Two tasks for the same destination never run
 * at once: the second waits for the first.
 */
public final class ProbeEngine implements AutoCloseable {
    private static final long MAX_PARK_NANOS = 50_000_000L;
    /** How long the prober waits when the sender's ring is full. */
    private static final long RING_FULL_PARK_NANOS = 50_000L;
    private static final int SEND_BATCH = 512;
    private static final int REPLY_BATCH = 4096;
    private static final String CAPTURE_FILTER =
            "icmp or (tcp and ((tcp[13] & 4 != 0) or (tcp[13] & 18 = 18)))";

    private final EngineConfig config;
    private volatile EgressResolver resolver;
    private final Function<String, PacketChannel> channelOpener;
    private final Iterator<? extends ProbeTask> source;
    private final ConcurrentLinkedQueue<ProbeTask> submitted = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final DropCounters drops = new DropCounters();
    private final AtomicLong probesSent = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong repliesMatched = new AtomicLong();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    // Everything below is owned by the prober thread.
    private final ActiveTasks active = new ActiveTasks();
    private final Map<Integer, ArrayDeque<ProbeTask>> waiting = new HashMap<>();
    private final ArrayDeque<ProbeTask> ready = new ArrayDeque<>();
    private final Map<String, PacketChannel> channels = Collections.synchronizedMap(new HashMap<>());
    private final ProbeQueue sendQueue = new ProbeQueue(1024);
    private final Map<Long, ProbeQueue> timeouts = new HashMap<>();
    /** The timeout queue used last and its wait (most probes of a run share one wait). */
    private ProbeQueue lastTimeouts;
    private long lastWait;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final byte[] frame = new byte[ProbeFrames.IPV4_HEADER + 65_535 + 14];
    private final Context context = new Context();
    private final FrameSender sender;
    private final FrameSender.SentListener sentListener = this::onSent;
    private TokenBucket bucket;
    private Egress lastEgress;
    private int linkHeaderLength;
    private int nextNonce = 1;
    private long timerSequence;
    private volatile String firstSendError;

    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean stopping;
    /** Set while only frames still in the sender's ring keep the engine from being drained. */
    private volatile boolean awaitingSends;

    /**
     * @param channelOpener opens the packet channel of an interface (the engine closes them)
     * @param tasks         tasks to run, pulled lazily; may be empty when tasks are submitted
     */
    public ProbeEngine(EngineConfig config, EgressResolver resolver, Function<String, PacketChannel> channelOpener,
                       Iterator<? extends ProbeTask> tasks) {
        this.config = config;
        this.resolver = resolver;
        this.channelOpener = channelOpener;
        this.source = tasks;
        this.thread = new Thread(this::run, "tracemesh-prober");
        this.thread.setDaemon(true);
        this.sender = new FrameSender("tracemesh-sender", probesSent, sendErrors, e -> {
            if (firstSendError == null) {
                firstSendError = e.getMessage();
            }
        }, () -> {
            if (awaitingSends) {
                wake();
            }
        });
    }

    public ProbeEngine start() {
        sender.start();
        thread.start();
        return this;
    }

    /**
     * Resolves the egress of tasks started from now on with {@code newResolver} (a long-running agent
     * reloads routes and neighbours this way); safe from any thread.
     */
    public void useResolver(EgressResolver newResolver) {
        this.resolver = newResolver;
    }

    /** Adds a task; safe from any thread. */
    public void submit(ProbeTask task) {
        submitted.add(task);
        wake();
    }

    /**
     * Completes when every task pulled from the iterator and every submitted task has finished; completes
     * exceptionally with {@link PacketIoException} (a {@code CapturePermissionException} without the rights) if probing cannot
     * go on at all.
     */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    /**
     * Completes when the prober thread ends: normally after {@link #close}, exceptionally (as {@link #drained})
     * when probing cannot go on. A long-running engine fed through {@link #submit} watches this one, since it
     * may be drained many times.
     */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    public EngineStats stats() {
        long kernel = 0;
        synchronized (channels) {
            for (PacketChannel c : channels.values()) {
                kernel += c.kernelDrops();
            }
        }
        return new EngineStats(probesSent.get(), sendErrors.get(), repliesMatched.get(), drops.snapshot(), kernel,
                firstSendError);
    }

    @Override
    public void close() {
        stopping = true;
        wake();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sender.close();
        synchronized (channels) {
            channels.values().forEach(PacketChannel::close);
            channels.clear();
        }
    }

    private void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        bucket = TokenBucket.perSecond(config.probesPerSecond(), System.nanoTime());
        try {
            while (!stopping) {
                sender.drainSendTimes(sentListener);
                drainReplies();
                long now = System.nanoTime();
                runTimers(now);
                expireTimeouts(now);
                admit();
                sendQueued(System.nanoTime());
                if (isDrained()) {
                    drained.complete(null);
                }
                parkUntilWork();
            }
            terminated.complete(null);
        } catch (PacketIoException e) {
            drained.completeExceptionally(e);
            terminated.completeExceptionally(e);
        } catch (RuntimeException | Error e) {
            drained.completeExceptionally(e);
            terminated.completeExceptionally(e);
            throw e;
        }
    }

    private boolean isDrained() {
        boolean tasksDone = active.isEmpty() && ready.isEmpty() && waiting.isEmpty() && submitted.isEmpty()
                && !source.hasNext();
        if (!tasksDone) {
            return false;
        }
        awaitingSends = true;
        if (sender.idle()) {
            awaitingSends = false;
            return true;
        }
        return false;
    }

    private void parkUntilWork() {
        long now = System.nanoTime();
        long wait = MAX_PARK_NANOS;
        if (!sendQueue.isEmpty()) {
            wait = Math.min(wait, sender.hasRoom() ? bucket.nanosUntilToken(now) : RING_FULL_PARK_NANOS);
        }
        for (ProbeQueue q : timeouts.values()) {
            if (!q.isEmpty()) {
                wait = Math.min(wait, q.headTime() - now);
            }
        }
        if (!timers.isEmpty()) {
            wait = Math.min(wait, timers.peek().due - now);
        }
        if (wait <= 0) {
            return;
        }
        parked = true;
        if (replies.isEmpty() && submitted.isEmpty() && !stopping) {
            LockSupport.parkNanos(this, wait);
        }
        parked = false;
    }

    private void drainReplies() {
        Reply reply;
        int n = 0;
        while (n++ < REPLY_BATCH && (reply = replies.poll()) != null) {
            // the send time of the probe answered was published before the probe left: collect it first
            sender.drainSendTimes(sentListener);
            if (reply.tag() != config.tag()) {
                drops.increment(DropReason.FOREIGN);
                continue;
            }
            ProbeTask task = active.get(reply.probeDestination());
            if (task == null) {
                drops.increment(DropReason.UNKNOWN_DESTINATION);
                continue;
            }
            if (reply.probeSource() != task.egress().source()) {
                drops.increment(DropReason.FOREIGN);
                continue;
            }
            DropReason dropped = task.onReply(reply, context);
            if (dropped != null) {
                drops.increment(dropped);
            } else {
                repliesMatched.incrementAndGet();
            }
            finishIfDone(task);
        }
    }

    private void runTimers(long now) {
        while (!timers.isEmpty() && timers.peek().due <= now) {
            timers.poll().action.run();
        }
    }

    private void expireTimeouts(long now) {
        for (ProbeQueue q : timeouts.values()) {
            while (!q.isEmpty() && q.headTime() <= now) {
                ProbeTask task = active.get(q.headDestination());
                boolean live = q.headIsOf(task);
                int token = q.headToken();
                q.removeHead();
                if (live && !task.finished()) {
                    task.onTimeout(token, context);
                    finishIfDone(task);
                }
            }
        }
    }

    private void admit() {
        while (active.size() < config.maxActiveTasks()) {
            ProbeTask task = ready.poll();
            if (task == null) {
                task = submitted.poll();
            }
            if (task == null && source.hasNext()) {
                task = source.next();
            }
            if (task == null) {
                return;
            }
            if (active.containsKey(task.destination())) {
                waiting.computeIfAbsent(task.destination(), d -> new ArrayDeque<>()).add(task);
                continue;
            }
            startTask(task);
        }
    }

    private void startTask(ProbeTask task) {
        Egress egress;
        try {
            egress = resolver.resolve(task.destination());
            channelFor(egress.interfaceName());
        } catch (NoRouteException e) {
            task.fail(e.getMessage());
            return;
        }
        task.bind(egress, config.tag(), nextNonce & 0xFFFF, nextNonce++);
        active.put(task.destination(), task);
        task.start(context);
        finishIfDone(task);
    }

    private PacketChannel channelFor(String interfaceName) {
        PacketChannel channel = channels.get(interfaceName);
        if (channel == null) {
            channel = channelOpener.apply(interfaceName);
            PacketChannel opened = channel;
            channel.startCapture(CAPTURE_FILTER, (bytes, ts) -> {
                Reply reply = ReplyParser.parse(bytes, opened.captureLinkType(), ts, drops);
                if (reply != null) {
                    replies.add(reply);
                    wake();
                }
            });
            channels.put(interfaceName, channel);
        }
        return channel;
    }

    private void finishIfDone(ProbeTask task) {
        // a task whose probes still wait in the sender's ring finishes once they have their send times
        if (!task.finished() || task.unsent > 0 || active.get(task.destination()) != task) {
            return;
        }
        active.remove(task.destination());
        task.finish();
        ArrayDeque<ProbeTask> next = waiting.get(task.destination());
        if (next != null) {
            ready.add(next.poll());
            if (next.isEmpty()) {
                waiting.remove(task.destination());
            }
        }
    }

    private void sendQueued(long now) {
        int n = 0;
        while (n < SEND_BATCH && !sendQueue.isEmpty()) {
            ProbeTask task = active.get(sendQueue.headDestination());
            if (!sendQueue.headIsOf(task) || task.finished() || !task.wantsToSend(sendQueue.headToken())) {
                sendQueue.removeHead();
                continue;
            }
            if (!sender.hasRoom() || !bucket.tryTake(now)) {
                return;
            }
            int token = sendQueue.headToken();
            sendQueue.removeHead();
            n++;
            transmit(task, token);
            if (task.finished()) {
                finishIfDone(task);
            }
        }
    }

    private void transmit(ProbeTask task, int token) {
        Egress egress = task.egress();
        PacketChannel channel = channels.get(egress.interfaceName());
        if (egress != lastEgress) {
            linkHeaderLength = ProbeFrames.writeLinkHeader(frame, channel.linkType(), egress.nextHopMac(),
                    egress.sourceMac());
            lastEgress = egress;
        }
        int length = task.writeProbe(token, frame, linkHeaderLength);
        sender.offer(channel, frame, length, task, token);
        long wait = task.waitNanos();
        if (wait != lastWait || lastTimeouts == null) {
            lastTimeouts = timeouts.computeIfAbsent(wait, w -> new ProbeQueue(1024));
            lastWait = wait;
        }
        lastTimeouts.add(task, token, System.nanoTime() + wait);
    }

    /** A probe left at {@code sentMicros} (its sender read the clock just before the send). */
    private void onSent(ProbeTask task, int token, long sentMicros) {
        task.onSent(token, sentMicros);
        if (task.unsent == 0) {
            finishIfDone(task);
        }
    }

    private final class Context implements ProbeContext {
        @Override
        public void send(ProbeTask task, int token) {
            sendQueue.add(task, token, 0);
        }

        @Override
        public void schedule(long delayNanos, Runnable action) {
            timers.add(new Timer(System.nanoTime() + delayNanos, timerSequence++, action));
        }
    }

    private record Timer(long due, long sequence, Runnable action) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due - o.due, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
