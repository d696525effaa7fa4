package net.tracemesh.collector.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.TraceMerger;
import net.tracemesh.measurement.MeasurementMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code collector export} over a real embedded store: every format holds the stored graph; filters narrow it. */
class ExportCommandTest {
    private static final TraceMerger MERGER = new TraceMerger();

    @TempDir
    Path dir;
    private Path storeDir;
    /** The stored nodes' texts ({@code 198.18.0.1}, agents, anonymous hops). */
    private Set<String> nodes;
    private int links;

    private final CommandRun command = new CommandRun();

    @BeforeEach
    void storeSomeTraces() {
        storeDir = dir.resolve("store");
        List<TraceScript.Trace> traces = List.of(
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("run1-1")
                        .hop("198.18.0.1").hop("198.18.0.2").hop("198.18.0.3").destination().build(),
                TraceScript.trace(MeasurementMethod.ICMP_PARIS, "fra1", "198.18.9.10").id("run1-2")
                        .hop("198.18.0.1").silent().hop("198.18.0.4").destination().build(),
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "ams1", "203.0.113.9").id("run2-1")
                        .hop("198.18.1.1").hop("198.18.0.2").destination().build());
        try (CollectorStore store = CollectorStore.openEmbedded(storeDir)) {
            for (TraceScript.Trace t : traces) {
                store.apply(Feed.assemble(t), MERGER.merge(Feed.assemble(t)));
            }
            nodes = new TreeSet<>(store.nodes().stream().map(n -> n.id().toString()).toList());
            links = store.links().size();
        }
        assertThat(nodes).contains("198.18.0.1", "198.18.9.9", "203.0.113.9");
    }

    @Test
    void dotHoldsEveryNodeAndLink() throws Exception {
        Path file = dir.resolve("graph.dot");
        assertThat(run("export", "--format", "dot", "--data-dir", storeDir.toString(), "--output", file.toString()))
                .as(err()).isZero();
        String dot = Files.readString(file);
        assertThat(dot).contains("digraph tracemesh {");
        for (String n : nodes) {
            assertThat(dot).contains("\"" + n + "\"");
        }
        assertThat(dot.lines().filter(l -> l.contains(" -> "))).hasSize(links);
        assertThat(err()).isEmpty();
        assertThat(dir.resolve("graph.dot.partial")).doesNotExist();
    }

    @Test
    void graphMlIsXmlWithEveryNodeAndLink() throws Exception {
        Path file = dir.resolve("graph.graphml");
        assertThat(run("export", "--format", "graphml", "--data-dir", storeDir.toString(), "--output",
                file.toString())).as(err()).isZero();
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        assertThat(xml.getDocumentElement().getTagName()).isEqualTo("graphml");
        assertThat(xml.getElementsByTagName("node").getLength()).isEqualTo(nodes.size());
        assertThat(xml.getElementsByTagName("edge").getLength()).isEqualTo(links);
    }

    @Test
    void jsonToStandardOutputWithEveryNodeAndLink() throws Exception {
        assertThat(run("export", "--format", "json", "--data-dir", storeDir.toString())).as(err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out());
        assertThat(ids(json)).isEqualTo(nodes);
        assertThat(json.get("links")).hasSize(links);
        assertThat(json.get("truncated").booleanValue()).isFalse();
    }

    @Test
    void theStoreCanBeNamedByAConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("collector.yaml"), "store: {type: embedded, data-dir: '"
                + storeDir + "'}\n");
        assertThat(run("export", "--format", "json", "--config", config.toString())).as(err()).isZero();
        assertThat(ids(new ObjectMapper().readTree(out()))).isEqualTo(nodes);
    }

    @Test
    void filtersNarrowTheGraphAndATruncatedOneIsReported() throws Exception {
        assertThat(run("export", "--format", "json", "--data-dir", storeDir.toString(), "--prefix",
                "203.0.113.0/24")).as(err()).isZero();
        Set<String> toward203 = ids(new ObjectMapper().readTree(out()));
        assertThat(toward203).contains("203.0.113.9", "198.18.1.1").doesNotContain("198.18.9.9", "198.18.0.4");

        command.resetOut();
        assertThat(run("export", "--format", "json", "--data-dir", storeDir.toString(), "--limit", "2"))
                .as(err()).isZero();
        JsonNode cut = new ObjectMapper().readTree(out());
        assertThat(cut.get("nodes")).hasSize(2);
        assertThat(cut.get("truncated").booleanValue()).isTrue();
        assertThat(err()).isEqualTo("collector: " + nodes.size() + " nodes matched; the first 2 were written (raise"
                + " --limit for more)" + System.lineSeparator());
    }

    @Test
    void aStoreInUseIsReportedWithStatusOne() {
        try (CollectorStore inUse = CollectorStore.openEmbedded(storeDir)) {
            assertThat(run("export", "--format", "dot", "--data-dir", storeDir.toString())).isEqualTo(1);
            assertThat(inUse.nodes()).extracting(NodeSummary::observations).isNotEmpty();
        }
        assertThat(err()).startsWith("collector: cannot read the embedded store in ").contains("is already open")
                .hasLineCount(1);
        assertThat(out()).isEmpty();
    }

    private static Set<String> ids(JsonNode json) {
        List<String> ids = new ArrayList<>();
        json.get("nodes").forEach(n -> ids.add(n.get("id").textValue()));
        assertThat(ids).doesNotHaveDuplicates();
        return new TreeSet<>(ids);
    }

    private int run(String... args) {
        return command.run(args);
    }

    private String out() {
        return command.out();
    }

    private String err() {
        return command.err();
    }
}
