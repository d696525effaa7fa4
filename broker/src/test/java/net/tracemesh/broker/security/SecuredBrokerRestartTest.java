package net.tracemesh.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.tracemesh.broker.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured broker keeps its CA, certificate and administrator across restarts; a data directory formatted
 * without security cannot be secured later (it has no administrator credential).
 */
class SecuredBrokerRestartTest {
    @TempDir
    Path tmp;

    @Test
    void aRestartedBrokerKeepsItsKeysAndAdministrator() throws Exception {
        Path dir = tmp.resolve("broker");
        byte[] ca;
        byte[] certificate;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).secured(true).build().start()) {
            kafka.ensureTopic("restart.a", 1, Map.of());
            ca = Files.readAllBytes(kafka.securityFiles().caKeystore());
            certificate = Files.readAllBytes(kafka.securityFiles().brokerKeystore());
        }
        try (EmbeddedKafka again = EmbeddedKafka.builder().dataDir(dir).secured(true).build().start()) {
            again.ensureTopic("restart.b", 1, Map.of());
            assertThat(Files.readAllBytes(again.securityFiles().caKeystore())).isEqualTo(ca);
            assertThat(Files.readAllBytes(again.securityFiles().brokerKeystore())).isEqualTo(certificate);
        }
    }

    @Test
    void anUnsecuredDataDirectoryIsNotSecuredLater() {
        Path dir = tmp.resolve("plain");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            assertThat(kafka.secured()).isFalse();
        }
        EmbeddedKafka secured = EmbeddedKafka.builder().dataDir(dir).secured(true).build();
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(secured::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was formatted without security");
            assertThat(secured.running()).isFalse();
        }
        assertThat(secured.securityFiles().adminPassword()).doesNotExist();
    }
}
