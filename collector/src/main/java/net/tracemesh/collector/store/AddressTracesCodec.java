package net.tracemesh.collector.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of one list of the address index ({@code address_traces.traces}): the traces that got a reply from
 * one address, in order of start (then agent, then trace id).
 *
 * <p>Layout: a format byte ({@link #FORMAT}), the number of entries as a varint, then per entry: its start in
 * microseconds since 1970 (the first entry's whole, as a zigzag varint since it may be before 1970; each next one's
 * as the difference from the one before it, a varint, which the order keeps from being negative), the agent id and
 * the trace id (each its UTF-8 length as a varint, then the bytes), and the TTL (a byte).
 */
public final class AddressTracesCodec {
    /** The first byte of every encoding, so the layout can change later without guessing. */
    public static final int FORMAT = 1;
    /** The fewest bytes an entry takes: a start byte, two one-byte ids with their length bytes, a TTL. */
    private static final int MIN_ENTRY_BYTES = 6;
    /** The most bytes an id's UTF-8 can take for its number of characters (UTF-16 units). */
    private static final int MAX_UTF8_PER_CHAR = 3;

    private AddressTracesCodec() {
    }

    /** The encoding of {@code traces}, which are written in order of start, agent and trace id. */
    public static byte[] encode(List<TraceAtAddress> traces) {
        List<TraceAtAddress> sorted = new ArrayList<>(traces);
        sorted.sort(TraceAtAddress.OLDEST_FIRST);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + sorted.size() * 32);
        out.write(FORMAT);
        StoredBytes.writeVarint(out, sorted.size());
        Long previous = null;
        for (TraceAtAddress t : sorted) {
            long micros = t.startedMicros();
            StoredBytes.writeVarint(out, previous == null ? micros << 1 ^ micros >> 63 : micros - previous);
            previous = micros;
            writeText(out, t.agentId());
            writeText(out, t.traceId());
            out.write(t.ttl());
        }
        return out.toByteArray();
    }

    /**
     * The entries of an encoding, in their order.
     *
     * @throws IllegalArgumentException if the bytes are not an encoding of this format (truncated, trailing bytes,
     *                                  unknown format, an id that is not UTF-8, or a field out of range)
     */
    public static List<TraceAtAddress> decode(byte[] bytes) {
        StoredBytes.Reader in = StoredBytes.Reader.open(bytes, "address index", FORMAT);
        long count = in.varint();
        if (count > in.remaining() / MIN_ENTRY_BYTES) {
            throw new IllegalArgumentException("implausible entry count " + count + " in " + bytes.length + " bytes");
        }
        List<TraceAtAddress> traces = new ArrayList<>((int) count);
        long micros = 0;
        for (int i = 0; i < count; i++) {
            long delta = in.varint();
            if (i == 0) {
                micros = delta >>> 1 ^ -(delta & 1);
            } else {
                try {
                    micros = Math.addExact(micros, delta);
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("a start time out of range at entry " + i, e);
                }
            }
            String agent = readText(in, TraceAtAddress.MAX_AGENT_ID, "an agent id", i);
            String trace = readText(in, TraceAtAddress.MAX_TRACE_ID, "a trace id", i);
            int ttl = in.u8();
            TraceAtAddress entry;
            try {
                entry = new TraceAtAddress(TraceAtAddress.ofMicros(micros), agent, trace, ttl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + i + ": " + e.getMessage(), e);
            }
            if (i > 0 && delta == 0 && TraceAtAddress.OLDEST_FIRST.compare(traces.get(i - 1), entry) >= 0) {
                throw new IllegalArgumentException("entry " + i + " is out of order or repeated");
            }
            traces.add(entry);
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the last entry");
        }
        return traces;
    }

    private static void writeText(ByteArrayOutputStream out, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        StoredBytes.writeVarint(out, b.length);
        out.write(b, 0, b.length);
    }

    private static String readText(StoredBytes.Reader in, int maxChars, String what, int entry) {
        long length = in.varint();
        if (length < 1 || length > (long) maxChars * MAX_UTF8_PER_CHAR) {
            throw new IllegalArgumentException(what + " of " + length + " bytes at entry " + entry);
        }
        byte[] b = in.bytes((int) length);
        boolean ascii = true;
        for (byte x : b) {
            ascii &= x >= 0;
        }
        if (ascii) {
            return new String(b, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " that is not UTF-8 at entry " + entry, e);
        }
    }
}
