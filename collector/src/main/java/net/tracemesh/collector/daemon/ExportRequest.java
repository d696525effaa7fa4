package net.tracemesh.collector.daemon;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.tracemesh.collector.config.DurationText;
import net.tracemesh.collector.export.GraphFormat;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.measurement.Ipv4Prefix;

/**
 * The arguments of {@code collector export}, checked.
 *
 * @param format  how to write the graph
 * @param dataDir the embedded store to read, or null when {@code config} says which store
 * @param config  a collector.yaml naming the store, or null when {@code dataDir} is given
 * @param output  the file to write, or null for standard output
 * @param filter  which part of the graph
 */
record ExportRequest(GraphFormat format, Path dataDir, Path config, Path output, SubgraphFilter filter) {
    ExportRequest {
        if (format == null || filter == null) {
            throw new IllegalArgumentException("the format and the filter are needed");
        }
        if ((dataDir == null) == (config == null)) {
            throw new IllegalArgumentException("give the store by its data directory or by a config file, not both");
        }
    }

    /**
     * Reads the command line after {@code export}.
     *
     * @param now the time relative windows ({@code --from 7d}) count back from
     * @throws UsageException naming the argument that is wrong
     */
    static ExportRequest parse(List<String> args, Instant now) {
        GraphFormat format = null;
        Path dataDir = null;
        Path config = null;
        Path output = null;
        Set<String> agents = new LinkedHashSet<>();
        Ipv4Prefix prefix = null;
        Instant from = null;
        Instant to = null;
        int limit = SubgraphFilter.DEFAULT_NODE_LIMIT;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--format", "-f" -> format = format(CollectorMain.value(args, ++i, a, "dot, graphml or json"));
                case "--data-dir" -> dataDir = path(a, CollectorMain.value(args, ++i, a, "a directory"));
                case "--config", "-c" -> config = path(a, CollectorMain.value(args, ++i, a, "a file name"));
                case "--output", "-o" -> output = path(a, CollectorMain.value(args, ++i, a, "a file name"));
                case "--agent" -> agents.add(CollectorMain.value(args, ++i, a, "an agent id"));
                case "--prefix" -> prefix = prefix(CollectorMain.value(args, ++i, a, "an address or prefix"));
                case "--from" -> from = time(a, CollectorMain.value(args, ++i, a, "a time"), now);
                case "--to" -> to = time(a, CollectorMain.value(args, ++i, a, "a time"), now);
                case "--limit" -> limit = limit(CollectorMain.value(args, ++i, a, "a number of nodes"));
                default -> throw new UsageException("unknown option '" + a + "' for export (see export --help)");
            }
        }
        if (format == null) {
            throw new UsageException("export needs --format dot, graphml or json");
        }
        if ((dataDir == null) == (config == null)) {
            throw new UsageException(dataDir == null ? "export needs the store: --data-dir DIR or --config FILE"
                    : "give --data-dir or --config, not both");
        }
        SubgraphFilter filter;
        try {
            filter = new SubgraphFilter(agents, prefix, from, to, limit);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new ExportRequest(format, dataDir, config, output, filter);
    }

    private static GraphFormat format(String name) {
        try {
            return GraphFormat.fromName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format: '" + name + "' is not one of " + GraphFormat.names());
        }
    }

    private static Path path(String option, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException(option + ": '" + text + "' is not a file path");
        }
    }

    private static Ipv4Prefix prefix(String text) {
        try {
            return Ipv4Prefix.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--prefix: " + e.getMessage());
        }
    }

    /** An instant ({@code 2026-11-23T10:00:00Z}), a UTC date ({@code 2026-11-23}) or an age ({@code 7d}: ago). */
    static Instant time(String option, String text, Instant now) {
        String t = text.strip();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                try {
                    Duration age = DurationText.parse(t.toLowerCase(Locale.ROOT));
                    return now.minus(age);
                } catch (IllegalArgumentException notAge) {
                    throw new UsageException(option + ": '" + text + "' is not a time (give an instant such as"
                            + " 2026-11-23T10:00:00Z, a date such as 2026-11-23, or an age such as 7d)");
                }
            }
        }
    }

    private static int limit(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n < 1 || n > SubgraphFilter.MAX_NODE_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--limit: must be a number of nodes 1.." + SubgraphFilter.MAX_NODE_LIMIT
                    + ", got '" + text + "'");
        }
    }
}
