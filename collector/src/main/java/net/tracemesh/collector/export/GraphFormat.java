package net.tracemesh.collector.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The file formats a subgraph can be exported in. */
public enum GraphFormat {
    /** Graphviz DOT, to draw with {@code dot} or {@code sfdp}. */
    DOT("dot", "text/vnd.graphviz"),
    /** GraphML, for Gephi, yEd, NetworkX and the like. */
    GRAPHML("graphml", "application/graphml+xml"),
    /** JSON with every stored statistic of the nodes and links. */
    JSON("json", "application/json");

    private final String fileExtension;
    private final String mediaType;

    GraphFormat(String fileExtension, String mediaType) {
        this.fileExtension = fileExtension;
        this.mediaType = mediaType;
    }

    /** The name used on command lines and in URLs, which is also the usual file extension ({@code graphml}). */
    public String fileExtension() {
        return fileExtension;
    }

    /** The media type of the output. */
    public String mediaType() {
        return mediaType;
    }

    /** A writer of this format. */
    public GraphWriter writer() {
        return switch (this) {
            case DOT -> new DotWriter();
            case GRAPHML -> new GraphMlWriter();
            case JSON -> new JsonGraphWriter();
        };
    }

    /**
     * The format of a name ({@code dot}, {@code graphml} or {@code json}, in any case).
     *
     * @throws IllegalArgumentException naming the known formats when {@code name} is none of them
     */
    public static GraphFormat fromName(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (GraphFormat f : values()) {
                if (f.fileExtension.equals(wanted)) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException("unknown graph format \"" + name + "\" (known: " + names() + ")");
    }

    /** The format names, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(GraphFormat::fileExtension).collect(Collectors.joining(", "));
    }
}
