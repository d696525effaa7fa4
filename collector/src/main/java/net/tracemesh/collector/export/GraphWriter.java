package net.tracemesh.collector.export;

import java.io.Writer;
import net.tracemesh.collector.query.Subgraph;

/** Writes a subgraph in one file format. Implementations keep no state between calls and are thread-safe. */
public interface GraphWriter {
    /**
     * Writes {@code graph} to {@code out} and flushes it; {@code out} is left open.
     *
     * @throws java.io.UncheckedIOException when writing to {@code out} fails
     */
    void write(Subgraph graph, Writer out);
}
