package net.tracemesh.broker.security;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's security audit: every refused login and denied operation is logged at WARN on the
 * {@value #LOGGER} logger and appended as a JSON line ({@link AuditEvent}) to a file that administrators read with
 * {@code SecurityAdmin events}. The same event repeated (same kind, principal, client, operation, resource) within
 * {@link #REPEAT_WINDOW} is counted, not written again, so a client retrying with bad credentials cannot fill the
 * disk; the file is rotated to {@code .1} past {@link #MAX_BYTES}.
 *
 * <p>One instance per file, shared by everything in the JVM that audits for that broker ({@link #forFile}).
 */
public final class AuditLog {
    /** Name of the logger that audit events go to. */
    public static final String LOGGER = "tracemesh.security";
    static final Duration REPEAT_WINDOW = Duration.ofSeconds(60);
    static final long MAX_BYTES = 16L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Map<Path, AuditLog> OPEN = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    /** Last time each event key was written, with how many repeats were skipped since. */
    private final Map<String, long[]> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > 10_000;
        }
    };

    private AuditLog(Path file) {
        this.file = file;
    }

    /** The audit log writing to {@code file} (created 0600 at the first event). */
    public static AuditLog forFile(Path file) {
        return OPEN.computeIfAbsent(file.toAbsolutePath().normalize(), AuditLog::new);
    }

    /** Every audit log opened in this JVM. */
    static Collection<AuditLog> open() {
        return List.copyOf(OPEN.values());
    }

    public Path file() {
        return file;
    }

    /** Logs the event at WARN and appends it to the file unless it repeats a recent one. */
    public void record(AuditEvent event) {
        String key = event.kind() + "|" + event.principal() + "|" + event.client() + "|" + event.reason() + "|"
                + event.operation() + "|" + event.resource();
        long now = event.time().toEpochMilli();
        long skipped;
        synchronized (this) {
            long[] last = recent.get(key);
            if (last != null && now - last[0] < REPEAT_WINDOW.toMillis()) {
                last[1]++;
                return;
            }
            skipped = last == null ? 0 : last[1];
            recent.put(key, new long[] {now, 0});
            AuditEvent written = skipped == 0 ? event : new AuditEvent(event.time(), event.kind(), event.principal(),
                    event.client(), event.mechanism(), event.reason(),
                    (event.detail() == null ? "" : event.detail() + "; ") + skipped + " more since the last entry",
                    event.operation(), event.resource());
            LOG.warn("{}", written.describe());
            append(written);
        }
    }

    private void append(AuditEvent event) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else if (Files.size(file) > MAX_BYTES) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            byte[] line = (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, line, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot write the security audit log {}: {}", file, e.toString());
        }
    }

    /**
     * The events in an audit file (and its rotated predecessor), oldest first; lines that are not events are
     * skipped. An absent file has no events.
     */
    public static List<AuditEvent> read(Path file) {
        List<AuditEvent> events = new ArrayList<>();
        for (Path f : List.of(file.resolveSibling(file.getFileName() + ".1"), file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
            }
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(JSON.readValue(line, AuditEvent.class));
                } catch (IOException e) {
                    LOG.debug("skipping a line of {} that is not an event: {}", f, e.getMessage());
                }
            }
        }
        return events;
    }

    /** The events of {@link #read} at or after {@code since}. */
    public static List<AuditEvent> readSince(Path file, Instant since) {
        return read(file).stream().filter(e -> !e.time().isBefore(since)).toList();
    }
}
