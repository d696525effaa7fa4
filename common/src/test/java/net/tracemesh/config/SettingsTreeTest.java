package net.tracemesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared reading of typed settings: values, environment overrides and one line naming where a mistake is. */
class SettingsTreeTest {
    /** The daemons' exceptions are their own; the tree throws whatever its messages say. */
    static final class TestException extends RuntimeException {
        TestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final SettingsTree.Messages APPEND = new SettingsTree.Messages(TestException::new,
            "a mapping of sections", "a mapping of settings", "unknown setting; known: %s", " at line %d, column %d",
            SettingsTree.Blame.APPEND_VARIABLE);
    private static final SettingsTree.Messages REPLACE = new SettingsTree.Messages(TestException::new,
            "a mapping of sections", "a mapping", "unknown setting (known here: %s)", " (line %d, column %d)",
            SettingsTree.Blame.REPLACE_PATH);

    @TempDir
    Path dir;

    private static SettingsTree tree(String yaml, Map<String, String> env) {
        return SettingsTree.parse(yaml, env, null, APPEND);
    }

    private record Port(int port) {
        Port {
            if (port < 1) {
                throw new IllegalArgumentException("net.port: must be at least 1, got " + port);
            }
        }
    }

    @Test
    void namesTheVariableOfEverySetting() {
        assertThat(SettingsTree.variable("kafka.tls.truststore-password-file"))
                .isEqualTo("TRACEMESH_KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE");
        assertThat(SettingsTree.variable("store.password-file")).isEqualTo("TRACEMESH_STORE_PASSWORD_FILE");
    }

    @Test
    void readsTypedValuesWithTheEnvironmentFirst() {
        SettingsTree t = tree("""
                net: {host: h1, port: 80, rate: 2.5, on: true, names: [a, b], count: 7}
                """, Map.of("TRACEMESH_NET_PORT", "81", "TRACEMESH_NET_NAMES", " x, ,y "));
        t.onlyKeys("", List.of("net"));
        t.onlyKeys("net", List.of("host", "port", "rate", "on", "names", "count"));
        assertThat(t.text("net.host", "none")).isEqualTo("h1");
        assertThat(t.integer("net.port", 0)).isEqualTo(81);
        assertThat(t.number("net.rate", 0)).isEqualTo(2.5);
        assertThat(t.bool("net.on", false)).isTrue();
        assertThat(t.list("net.names", List.of())).containsExactly("x", "y");
        assertThat(t.whole("net.count", 0)).isEqualTo(7);
        assertThat(t.text("net.missing", "fallback")).isEqualTo("fallback");
        assertThat(t.optionalPath("net.missing")).isNull();
        assertThat(t.parsed("net.count", 0L, "a size", Long::parseLong, n -> n * 2)).isEqualTo(14L);
        assertThat(t.choice("net.host", "?", n -> Optional.of(n.toUpperCase()), "a host")).isEqualTo("H1");
    }

    @Test
    void anEmptyTextSetsNothing() {
        SettingsTree t = tree("", Map.of());
        t.onlyKeys("", List.of("net"));
        assertThat(t.properties("net.properties")).isEmpty();
        assertThat(t.node("net")).isNull();
    }

    @Test
    void mistakesInTheFileNameThePath() {
        assertThatThrownBy(() -> tree("net: {prot: 1}", Map.of()).onlyKeys("net", List.of("port")))
                .isInstanceOf(TestException.class).hasMessage("net.prot: unknown setting; known: port");
        assertThatThrownBy(() -> SettingsTree.parse("net: {prot: 1}", Map.of(), "f.yaml", REPLACE)
                .onlyKeys("net", List.of("port", "host")))
                .hasMessage("f.yaml: net.prot: unknown setting (known here: port, host)");
        assertThatThrownBy(() -> tree("net: 5", Map.of()).onlyKeys("net", List.of()))
                .hasMessage("net: expected a mapping of settings, got the number 5");
        assertThatThrownBy(() -> tree("- a", Map.of())).hasMessage("expected a mapping of sections, got a list");
        assertThatThrownBy(() -> tree("net: {port: 1.5}", Map.of()).integer("net.port", 0))
                .hasMessage("net.port: expected a whole number, got the number 1.5");
        assertThatThrownBy(() -> tree("net: {port: 99999999999}", Map.of()).integer("net.port", 0))
                .hasMessage("net.port: 99999999999 is out of range");
        assertThatThrownBy(() -> tree("net: {names: [a, 5]}", Map.of()).list("net.names", List.of()))
                .hasMessage("net.names[1]: expected text, got the number 5");
        assertThatThrownBy(() -> tree("net: {p: {a: [1]}}", Map.of()).properties("net.p"))
                .hasMessage("net.p.a: expected text, a number or true/false, got a list");
        assertThatThrownBy(() -> tree("net: {size: [1]}", Map.of()).parsed("net.size", 0L, "a size", Long::parseLong))
                .hasMessage("net.size: expected a size, got a list");
    }

    @Test
    void badYamlIsOneLineWithItsPosition() {
        assertThatThrownBy(() -> tree("a: [1\nb: 2\n", Map.of()))
                .hasMessageStartingWith("not valid YAML at line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> SettingsTree.parse("a: 1\na: 2\n", Map.of(), "f.yaml", REPLACE))
                .hasMessageStartingWith("f.yaml: not valid YAML (line 2").hasMessageContaining("a");
    }

    @Test
    void mistakesInTheEnvironmentNameTheVariable() {
        assertThatThrownBy(() -> tree("", Map.of("TRACEMESH_NET_PORT", "many")).integer("net.port", 0))
                .hasMessage("TRACEMESH_NET_PORT: expected a whole number, got 'many'");
        assertThatThrownBy(() -> tree("", Map.of("TRACEMESH_NET_ON", "yes")).bool("net.on", false))
                .hasMessage("TRACEMESH_NET_ON: expected true or false, got 'yes'");
        assertThatThrownBy(() -> tree("", Map.of("TRACEMESH_NET_SIZE", "x"))
                .parsed("net.size", 0L, "a size", s -> {
                    throw new IllegalArgumentException("'" + s + "' is not a size");
                }))
                .hasMessage("TRACEMESH_NET_SIZE: 'x' is not a size");
    }

    @Test
    void aRecordsRefusalNamesTheVariableAsTheDaemonWordsIt() {
        SettingsTree appended = tree("", Map.of("TRACEMESH_NET_PORT", "0"));
        assertThatThrownBy(() -> appended.build(() -> new Port(appended.integer("net.port", 80))))
                .isInstanceOf(TestException.class)
                .hasMessage("net.port: must be at least 1, got 0 (set by TRACEMESH_NET_PORT)");
        SettingsTree replaced = SettingsTree.parse("", Map.of("TRACEMESH_NET_PORT", "0"), "f.yaml", REPLACE);
        assertThatThrownBy(() -> replaced.build(() -> new Port(replaced.integer("net.port", 80))))
                .hasMessage("TRACEMESH_NET_PORT: must be at least 1, got 0");
        SettingsTree inFile = SettingsTree.parse("net: {port: 0}", Map.of(), "f.yaml", REPLACE);
        assertThatThrownBy(() -> inFile.build(() -> new Port(inFile.integer("net.port", 80))))
                .hasMessage("f.yaml: net.port: must be at least 1, got 0");
    }

    @Test
    void readsSecretsFromFiles() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "  two words \r\n\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
        SettingsTree t = tree("", Map.of());
        assertThat(t.secret("net.password-file", pw)).isEqualTo("  two words ");
        assertThatThrownBy(() -> t.privateSecret("net.password-file", pw))
                .hasMessage("net.password-file: " + pw + " can be read by every user (rw-r--r--); make it private"
                        + " first, e.g. chmod 600 " + pw);
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        assertThat(t.privateSecret("net.password-file", pw)).isEqualTo("  two words ");

        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> t.secret("net.password-file", missing))
                .hasMessage("net.password-file: cannot read " + missing + ": no such file");
        assertThatThrownBy(() -> t.privateSecret("net.password-file", missing))
                .hasMessage("net.password-file: cannot read " + missing + ": no such file");
        assertThatThrownBy(() -> t.requireReadable("net.store", missing))
                .hasMessage("net.store: cannot read " + missing + ": no such file");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> t.secret("net.password-file", empty))
                .hasMessage("net.password-file: " + empty + " is empty");
    }

    @Test
    void loadsAFile() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> SettingsTree.load(missing, Map.of(), REPLACE))
                .isInstanceOf(TestException.class)
                .hasMessage("cannot read config file " + missing + ": no such file");
        Path file = Files.writeString(dir.resolve("c.yaml"), "net: {port: x}\n");
        assertThatThrownBy(() -> SettingsTree.load(file, Map.of(), REPLACE).integer("net.port", 0))
                .hasMessage(file + ": net.port: expected a whole number, got text 'x'");
    }
}
