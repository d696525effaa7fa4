package net.tracemesh.collector.rtt;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;

/**
 * A bounded, mergeable summary of RTT samples for one node or link: exact count, minimum, maximum, mean and last
 * sample, and quantile estimates (the median among them) from a logarithmic histogram in the manner of DDSketch.
 *
 * <h2>Accuracy</h2>
 * Sample {@code x} (ms) is counted in bucket {@code i = ceil(log_γ x)}, which covers {@code (γ^(i-1), γ^i]} with
 * {@code γ = (1 + α) / (1 - α)} and {@code α = }{@value #RELATIVE_ACCURACY}; a bucket reports {@code 2γ^i / (γ + 1)},
 * which is within a factor {@code 1 ± α} of every value in it. So the estimate of the quantile {@code q} is within
 * {@code ±α} (relative) of the exact sample of rank {@code floor(q (n - 1))} (0-based) — for the median, the lower
 * median — whatever the distribution, as long as that sample lies in {@code [}{@value #MIN_TRACKED_MS}{@code ,
 * }{@value #MAX_TRACKED_MS}{@code ] ms}: samples below the range are kept exactly as 0 (the agent rounds RTTs to
 * microseconds, so these are zeros), samples above it are counted in the top bucket (but min, max and mean stay
 * exact). Estimates are also clamped to {@code [min, max]}.
 *
 * <h2>Memory</h2>
 * The buckets between the smallest and the largest sample seen, one {@code long} each: a node whose RTTs vary by a
 * factor of 10 uses about 115 buckets; the whole range (1 µs to one hour) is at most {@value #MAX_BUCKETS}.
 * Count, min, max, sum and last are kept exactly (sum and extremes in microseconds).
 *
 * <h2>Merging and storage</h2>
 * {@link #merge} gives the same summary as adding both sample sets to one, in any order (the last sample is the one
 * with the latest time, the larger one on a tie), so replays and concurrent writers agree. {@link #toBytes()} is a
 * compact varint encoding (a few dozen bytes for a typical node) that {@link #fromBytes} reads back.
 *
 * <p>Not thread-safe.
 */
public final class RttSummary {
    /** Relative accuracy of quantile estimates. */
    public static final double RELATIVE_ACCURACY = 0.01;
    /** Smallest RTT told apart from 0, in ms. */
    public static final double MIN_TRACKED_MS = 0.001;
    /** Largest RTT told apart from larger ones, in ms (one hour). */
    public static final double MAX_TRACKED_MS = 3_600_000;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final int MIN_INDEX = index(MIN_TRACKED_MS);
    private static final int MAX_INDEX = index(MAX_TRACKED_MS);
    /** Most buckets a summary can hold. */
    public static final int MAX_BUCKETS = 1101;
    private static final double MICROS_PER_MS = 1000.0;
    private static final byte FORMAT_VERSION = 1;

    static {
        if (MAX_INDEX - MIN_INDEX + 1 > MAX_BUCKETS) {
            throw new AssertionError("bucket range " + (MAX_INDEX - MIN_INDEX + 1) + " exceeds " + MAX_BUCKETS);
        }
    }

    private long count;
    private long zeroCount;
    private long minMicros;
    private long maxMicros;
    private long sumMicros;
    private long lastMicros;
    private Instant lastAt;
    /** Bucket index of {@code counts[0]}. */
    private int offset;
    private long[] counts = new long[0];

    /** An empty summary. */
    public RttSummary() {
    }

    /** Adds one sample: an RTT in milliseconds (rounded to microseconds) observed at {@code at}. */
    public void add(double rttMs, Instant at) {
        if (!(rttMs >= 0) || Double.isInfinite(rttMs)) {
            throw new IllegalArgumentException("an RTT is a finite number of milliseconds >= 0, got " + rttMs);
        }
        if (at == null) {
            throw new IllegalArgumentException("the time of the sample is missing");
        }
        long micros = Math.round(rttMs * MICROS_PER_MS);
        if (micros == 0) {
            zeroCount++;
        } else {
            int i = index(micros / MICROS_PER_MS);
            ensure(i, i);
            counts[i - offset]++;
        }
        if (count == 0) {
            minMicros = micros;
            maxMicros = micros;
        } else {
            minMicros = Math.min(minMicros, micros);
            maxMicros = Math.max(maxMicros, micros);
        }
        sumMicros += micros;
        count++;
        takeLast(micros, at);
    }

    /** Adds every sample of {@code other} to this summary ({@code other} is unchanged). */
    public void merge(RttSummary other) {
        if (other.count == 0) {
            return;
        }
        if (other.counts.length > 0) {
            ensure(other.offset, other.offset + other.counts.length - 1);
            for (int k = 0; k < other.counts.length; k++) {
                counts[other.offset + k - offset] += other.counts[k];
            }
        }
        if (count == 0) {
            minMicros = other.minMicros;
            maxMicros = other.maxMicros;
        } else {
            minMicros = Math.min(minMicros, other.minMicros);
            maxMicros = Math.max(maxMicros, other.maxMicros);
        }
        zeroCount += other.zeroCount;
        sumMicros += other.sumMicros;
        count += other.count;
        takeLast(other.lastMicros, other.lastAt);
    }

    public RttSummary copy() {
        RttSummary c = new RttSummary();
        c.merge(this);
        return c;
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Smallest sample, exact (ms). */
    public double minMs() {
        requireSamples();
        return minMicros / MICROS_PER_MS;
    }

    /** Largest sample, exact (ms). */
    public double maxMs() {
        requireSamples();
        return maxMicros / MICROS_PER_MS;
    }

    /** Mean of the samples (ms). */
    public double meanMs() {
        requireSamples();
        return sumMicros / MICROS_PER_MS / count;
    }

    /** The sample with the latest time (ms). */
    public double lastMs() {
        requireSamples();
        return lastMicros / MICROS_PER_MS;
    }

    /** The time of the last sample. */
    public Instant lastAt() {
        requireSamples();
        return lastAt;
    }

    /** Estimate of the (lower) median, within {@value #RELATIVE_ACCURACY} relative error (ms). */
    public double medianMs() {
        return quantileMs(0.5);
    }

    /**
     * Estimate of the sample of rank {@code floor(q (n - 1))}, within {@value #RELATIVE_ACCURACY} relative error
     * (ms).
     */
    public double quantileMs(double q) {
        requireSamples();
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        long rank = (long) Math.floor(q * (count - 1));
        if (rank < zeroCount) {
            return 0;
        }
        long seen = zeroCount;
        for (int k = 0; k < counts.length; k++) {
            seen += counts[k];
            if (seen > rank) {
                double estimate = 2 * Math.pow(GAMMA, offset + k) / (GAMMA + 1);
                return Math.min(maxMicros / MICROS_PER_MS, Math.max(minMicros / MICROS_PER_MS, estimate));
            }
        }
        throw new IllegalStateException("bucket counts do not add up to the sample count");
    }

    /** Number of histogram buckets held (memory use). */
    public int buckets() {
        return counts.length;
    }

    /** The compact binary form of this summary. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + counts.length);
        out.write(FORMAT_VERSION);
        writeVarLong(out, count);
        if (count > 0) {
            writeVarLong(out, minMicros);
            writeVarLong(out, maxMicros);
            writeVarLong(out, sumMicros);
            writeVarLong(out, lastMicros);
            writeVarLong(out, zigZag(lastAt.getEpochSecond()));
            writeVarLong(out, lastAt.getNano());
            writeVarLong(out, zeroCount);
            writeVarLong(out, zigZag(offset));
            writeVarLong(out, counts.length);
            for (long c : counts) {
                writeVarLong(out, c);
            }
        }
        return out.toByteArray();
    }

    /** The summary of a {@link #toBytes()} form. */
    public static RttSummary fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("an RTT summary needs at least its format byte");
        }
        if (bytes[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("RTT summary format " + bytes[0] + " is not supported (this build reads "
                    + FORMAT_VERSION + ")");
        }
        Reader in = new Reader(bytes);
        RttSummary s = new RttSummary();
        s.count = in.varLong();
        if (s.count < 0) {
            throw new IllegalArgumentException("RTT summary: negative count");
        }
        if (s.count > 0) {
            s.minMicros = in.varLong();
            s.maxMicros = in.varLong();
            s.sumMicros = in.varLong();
            s.lastMicros = in.varLong();
            long seconds = unZigZag(in.varLong());
            long nanos = in.varLong();
            if (nanos > 999_999_999L) {
                throw new IllegalArgumentException("RTT summary: bad nanoseconds " + nanos);
            }
            s.lastAt = Instant.ofEpochSecond(seconds, nanos);
            s.zeroCount = in.varLong();
            long off = unZigZag(in.varLong());
            long length = in.varLong();
            if (length > MAX_BUCKETS || off < MIN_INDEX || off + length - 1 > MAX_INDEX) {
                throw new IllegalArgumentException("RTT summary: buckets " + off + " + " + length + " out of range");
            }
            s.offset = (int) off;
            s.counts = new long[(int) length];
            long total = s.zeroCount;
            boolean negative = s.zeroCount < 0 || s.minMicros < 0;
            for (int k = 0; k < length; k++) {
                s.counts[k] = in.varLong();
                negative |= s.counts[k] < 0;
                total += s.counts[k];
            }
            if (negative || total != s.count || s.minMicros > s.maxMicros || s.lastMicros < s.minMicros
                    || s.lastMicros > s.maxMicros) {
                throw new IllegalArgumentException("RTT summary is inconsistent");
            }
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("RTT summary has trailing bytes");
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RttSummary s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        if (count == 0) {
            return "rtt{}";
        }
        return String.format(java.util.Locale.ROOT, "rtt{n=%d min=%.3f median~%.3f max=%.3f last=%.3f}", count,
                minMs(), medianMs(), maxMs(), lastMs());
    }

    private void requireSamples() {
        if (count == 0) {
            throw new IllegalStateException("the RTT summary has no samples");
        }
    }

    private void takeLast(long micros, Instant at) {
        if (lastAt == null || at.isAfter(lastAt) || (at.equals(lastAt) && micros > lastMicros)) {
            lastAt = at;
            lastMicros = micros;
        }
    }

    private static int index(double ms) {
        double clamped = Math.min(Math.max(ms, MIN_TRACKED_MS), MAX_TRACKED_MS);
        return (int) Math.ceil(Math.log(clamped) / LOG_GAMMA);
    }

    /** Grows the buckets to cover indexes {@code lo..hi}. */
    private void ensure(int lo, int hi) {
        if (counts.length == 0) {
            offset = lo;
            counts = new long[hi - lo + 1];
            return;
        }
        int end = offset + counts.length - 1;
        if (lo >= offset && hi <= end) {
            return;
        }
        int newOffset = Math.min(lo, offset);
        int newEnd = Math.max(hi, end);
        long[] grown = new long[newEnd - newOffset + 1];
        System.arraycopy(counts, 0, grown, offset - newOffset, counts.length);
        counts = grown;
        offset = newOffset;
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarLong(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Reads varints after the format byte. */
    private static final class Reader {
        private static final int MAX_VARINT_BYTES = 10;
        private final byte[] b;
        private int pos = 1;

        Reader(byte[] b) {
            this.b = b;
        }

        long varLong() {
            long v = 0;
            for (int shift = 0, n = 0; n < MAX_VARINT_BYTES; shift += 7, n++) {
                if (pos >= b.length) {
                    throw new IllegalArgumentException("RTT summary is truncated");
                }
                int x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("RTT summary has a varint longer than " + MAX_VARINT_BYTES + " bytes");
        }

        boolean atEnd() {
            return pos == b.length;
        }
    }
}
