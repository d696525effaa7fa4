package net.tracemesh.agent.spool;

import java.nio.file.Path;

/**
 * What the spool keeps in memory about one segment file: never its contents, only where it is, the sequences it
 * spans, how many entries it holds and how many of its bytes are valid frames. Mutable, owned by {@link Spool}.
 */
final class Segment {
    final Path path;
    long firstSequence;
    long lastSequence;
    long entries;
    long bytes;

    Segment(Path path, long firstSequence) {
        this.path = path;
        this.firstSequence = firstSequence;
        this.lastSequence = firstSequence;
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + firstSequence + ".." + lastSequence + ", " + entries + " entries, "
                + bytes + " bytes]";
    }
}
