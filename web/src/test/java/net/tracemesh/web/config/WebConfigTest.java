package net.tracemesh.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import net.tracemesh.collector.config.StoreType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConfigTest {
    private static final String MINIMAL = "store:\n  url: jdbc:postgresql://db:5432/tracemesh\n";

    @Test
    void defaultsFillEverythingButTheDatabase() {
        WebConfig c = WebConfig.fromYaml(MINIMAL, Map.of());

        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().tls()).isFalse();
        assertThat(c.http().queryWorkers()).isEqualTo(8);
        assertThat(c.http().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.kafka().topicPrefix()).isEqualTo("tracemesh.");
        assertThat(c.store().type()).isEqualTo(StoreType.JDBC);
        assertThat(c.store().url()).isEqualTo("jdbc:postgresql://db:5432/tracemesh");
        assertThat(c.auth().adminUser()).isEqualTo("admin");
        assertThat(c.auth().sessionIdle()).isEqualTo(Duration.ofHours(12));
        assertThat(c.auth().authSettings().sessionMaxLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(c.agents().offlineAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.measurements().signingKey())
                .isEqualTo(Path.of("tracemesh-web-data", "definitions-signing-key.pem"));
        assertThat(c.measurements().publicKey())
                .isEqualTo(Path.of("tracemesh-web-data", "definitions-signing-key.pub.pem"));
    }

    @Test
    void theSigningKeyLivesInTheEmbeddedStoreUnlessSetAndCanComeFromTheEnvironment() {
        assertThat(WebConfig.fromYaml("store:\n  type: embedded\n  data-dir: /var/lib/tm\n", Map.of())
                .measurements().signingKey()).isEqualTo(Path.of("/var/lib/tm/definitions-signing-key.pem"));
        WebConfig set = WebConfig.fromYaml(MINIMAL + "measurements:\n  signing-key: /etc/tm/sign.pem\n", Map.of());
        assertThat(set.measurements().signingKey()).isEqualTo(Path.of("/etc/tm/sign.pem"));
        assertThat(set.measurements().publicKey()).isEqualTo(Path.of("/etc/tm/sign.pub.pem"));
        assertThat(WebConfig.fromYaml(MINIMAL, Map.of("TRACEMESH_MEASUREMENTS_SIGNING_KEY", "/run/k.pem"))
                .measurements().signingKey()).isEqualTo(Path.of("/run/k.pem"));
        assertError(MINIMAL + "measurements:\n  key: x\n", Map.of(),
                "measurements.key: unknown setting (known here: signing-key)");
    }

    @Test
    void readsEverySetting(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        Path password = Files.writeString(dir.resolve("db.password"), "s3cret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        String yaml = """
                http:
                  host: 0.0.0.0
                  port: 8443
                  tls-certificate: %s
                  tls-key: %s
                  query-workers: 4
                  max-body-bytes: 65536
                kafka:
                  bootstrap-servers: k1:9092,k2:9092
                  topic-prefix: lab.
                  properties:
                    security.protocol: SSL
                store:
                  type: jdbc
                  url: jdbc:postgresql://db/tm
                  user: web
                  password-file: %s
                auth:
                  admin-user: root
                  admin-password-file: /run/secrets/admin
                  session-idle: 30m
                  session-max: 1d
                agents:
                  offline-after: 2m
                """.formatted(cert, key, password);

        WebConfig c = WebConfig.fromYaml(yaml, Map.of());

        assertThat(c.http().host()).isEqualTo("0.0.0.0");
        assertThat(c.http().port()).isEqualTo(8443);
        assertThat(c.http().tls()).isTrue();
        assertThat(c.http().tlsKey()).isEqualTo(key);
        assertThat(c.http().queryWorkers()).isEqualTo(4);
        assertThat(c.http().maxBodyBytes()).isEqualTo(65536);
        assertThat(c.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.kafka().topic("heartbeats")).isEqualTo("lab.heartbeats");
        assertThat(c.kafka().properties()).containsEntry("security.protocol", "SSL");
        assertThat(c.store().user()).isEqualTo("web");
        assertThat(c.store().password()).isEqualTo("s3cret");
        assertThat(c.store().toString()).doesNotContain("s3cret");
        assertThat(c.auth().adminUser()).isEqualTo("root");
        assertThat(c.auth().adminPasswordFile()).isEqualTo(Path.of("/run/secrets/admin"));
        assertThat(c.auth().sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.auth().sessionMax()).isEqualTo(Duration.ofDays(1));
        assertThat(c.agents().offlineAfter()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theEnvironmentOverridesTheFile() {
        WebConfig c = WebConfig.fromYaml(MINIMAL + "http:\n  port: 9000\n", Map.of("TRACEMESH_HTTP_PORT", "9100",
                "TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", "broker:9093", "TRACEMESH_STORE_URL", "jdbc:postgresql://x/y",
                "TRACEMESH_AGENTS_OFFLINE_AFTER", "5m"));

        assertThat(c.http().port()).isEqualTo(9100);
        assertThat(c.kafka().bootstrapServers()).isEqualTo("broker:9093");
        assertThat(c.store().url()).isEqualTo("jdbc:postgresql://x/y");
        assertThat(c.agents().offlineAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anEmbeddedStoreNeedsItsDirectory() {
        WebConfig c = WebConfig.fromYaml("store:\n  type: embedded\n  data-dir: /var/lib/tracemesh\n", Map.of());
        assertThat(c.store().type()).isEqualTo(StoreType.EMBEDDED);
        assertThat(c.store().dataDir()).isEqualTo(Path.of("/var/lib/tracemesh"));

        assertError("store:\n  type: embedded\n", Map.of(), "store.data-dir: is required");
        assertError("store:\n  type: embedded\n  data-dir: /d\n  url: jdbc:h2:mem:x\n", Map.of(),
                "store.url: is only used when store.type is jdbc");
    }

    @Test
    void badInputNamesTheSetting(@TempDir Path dir) throws Exception {
        assertError("", Map.of(), "store.url: is required when store.type is jdbc");
        assertError(MINIMAL + "http:\n  port: 70000\n", Map.of(), "http.port: 70000 is not 0..65535");
        assertError(MINIMAL + "http:\n  port: eighty\n", Map.of(), "http.port: expected a whole number");
        assertError(MINIMAL, Map.of("TRACEMESH_HTTP_PORT", "x"), "TRACEMESH_HTTP_PORT: expected a whole number");
        assertError(MINIMAL + "http:\n  query-workers: 0\n", Map.of(), "http.query-workers: 0 is not 1..256");
        assertError(MINIMAL + "http:\n  colour: red\n", Map.of(), "http.colour: unknown setting (known here: host");
        assertError(MINIMAL + "extra: {}\n", Map.of(), "extra: unknown setting");
        assertError(MINIMAL + "http:\n  tls-certificate: " + dir.resolve("none.pem") + "\n", Map.of(),
                "http.tls-certificate: cannot read");
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertError(MINIMAL + "http:\n  tls-certificate: " + cert + "\n", Map.of(),
                "http.tls-certificate: give both it and http.tls-key");
        assertError(MINIMAL + "kafka:\n  bootstrap-servers: nohostport\n", Map.of(),
                "kafka.bootstrap-servers: 'nohostport' is not host:port");
        assertError(MINIMAL + "kafka:\n  topic-prefix: 'a b'\n", Map.of(), "kafka.topic-prefix: 'a b' may hold");
        assertError("store:\n  url: postgres://db\n", Map.of(), "store.url: a JDBC URL starts with");
        assertError(MINIMAL + "auth:\n  session-idle: forever\n", Map.of(), "auth.session-idle: expected a duration");
        assertError(MINIMAL + "auth:\n  session-idle: 2d\n  session-max: 1d\n", Map.of(),
                "auth.session-idle: is longer than auth.session-max");
        assertError(MINIMAL + "auth:\n  admin-user: 'a b'\n", Map.of(), "auth.admin-user: 'a b' must be");
        assertError(MINIMAL + "agents:\n  offline-after: 1s\n", Map.of(), "agents.offline-after: must be 5s..1d");
        assertError("http: [1, 2]\n", Map.of(), "http: expected a mapping, got a list");
        assertError("http:\n  port: 1\n  port: 2\n", Map.of(), "not valid YAML");
        Path open = Files.writeString(dir.resolve("open.password"), "pw");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertError(MINIMAL + "  password-file: " + open + "\n", Map.of(),
                "store.password-file: " + open + " can be read by every user");
    }

    @Test
    void aMissingFileIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> WebConfig.load(dir.resolve("web.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file").hasMessageContaining("no such file");
    }

    private static void assertError(String yaml, Map<String, String> env, String message) {
        assertThatThrownBy(() -> WebConfig.fromYaml(yaml, env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }
}
