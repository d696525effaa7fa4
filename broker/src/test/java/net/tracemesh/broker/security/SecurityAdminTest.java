package net.tracemesh.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The enrollment tool's pure parts: arguments, snippets, host names for the certificate. */
class SecurityAdminTest {
    private static final SecurityAdmin.Bundle BUNDLE = new SecurityAdmin.Bundle("broker.lan:9093",
            Path.of("/etc/tracemesh/secrets/kafka-password"), Path.of("/etc/tracemesh/secrets/truststore.p12"),
            Path.of("/etc/tracemesh/secrets/truststore-password"), "trust-pw");

    @Test
    void theAgentSnippetMakesTheAgentLogInAsItself() {
        String yaml = SecurityAdmin.agentSnippet("fra1-a", "tracemesh.", BUNDLE);
        assertThat(yaml).contains("agent:\n  id: fra1-a\n").contains("security-protocol: SASL_SSL")
                .contains("    username: fra1-a\n").contains("password-file: \"/etc/tracemesh/secrets/kafka-password\"")
                .contains("truststore: \"/etc/tracemesh/secrets/truststore.p12\"")
                .contains("bootstrap-servers: \"broker.lan:9093\"").doesNotContain("trust-pw");
    }

    @Test
    void theServiceSnippetCarriesPassThroughClientProperties() {
        String yaml = SecurityAdmin.serviceSnippet("collector", "pw", "tracemesh.", BUNDLE);
        assertThat(yaml).contains("security.protocol: SASL_SSL").contains("sasl.mechanism: SCRAM-SHA-512")
                .contains("sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"collector\" password=\"pw\";'")
                .contains("ssl.truststore.password: \"trust-pw\"");
    }

    @Test
    void eventsSinceTakesATimeOrAnAge() {
        assertThat(SecurityAdmin.since("2026-12-06T10:00:00Z")).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        Instant hourAgo = SecurityAdmin.since("1h");
        assertThat(Duration.between(hourAgo, Instant.now())).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
        assertThatThrownBy(() -> SecurityAdmin.since("yesterday")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesUnknownCommandsAndOptions() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SecurityAdmin.run(out, "enrol", "x")).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> SecurityAdmin.run(out, "list-agents", "--verbose", "1"))
                .hasMessageContaining("unknown option --verbose");
        assertThatThrownBy(() -> SecurityAdmin.run(out, "enroll-agent", "a", "--out", "/tmp/x"))
                .hasMessageContaining("--data-dir");
        assertThatThrownBy(() -> SecurityAdmin.run(out, "enroll-service", "db", "x", "--out", "/tmp/x",
                "--data-dir", "/nonexistent")).hasMessageContaining("collector or web");
    }

    @Test
    void certificateNamesSeparateAddressesFromHostNames() {
        assertThat(TlsMaterial.subjectAlternativeNames(List.of("localhost", "127.0.0.1", "::1", "[fd00::1]",
                "Broker.LAN"))).isEqualTo("dns:localhost,ip:127.0.0.1,ip:::1,ip:fd00::1,dns:broker.lan");
    }
}
