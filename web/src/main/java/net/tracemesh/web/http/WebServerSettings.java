package net.tracemesh.web.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the web server listens.
 *
 * @param host           address to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} for every interface)
 * @param port           TCP port, 0 for any free port
 * @param tlsCertificate PEM certificate chain; with {@code tlsKey}, the server speaks HTTPS only
 * @param tlsKey         PEM private key of that certificate
 * @param queryWorkers   threads running blocking queries
 * @param maxBodyBytes   largest request body accepted
 */
public record WebServerSettings(String host, int port, Path tlsCertificate, Path tlsKey, int queryWorkers,
                                long maxBodyBytes) {
    public static final int DEFAULT_PORT = 8080;

    public WebServerSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http.port: " + port + " is not 0..65535");
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("http.tls-certificate: give both it and http.tls-key, or neither");
        }
        if (queryWorkers < 1 || queryWorkers > 256) {
            throw new IllegalArgumentException("http.query-workers: " + queryWorkers + " is not 1..256");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("http.max-body-bytes: " + maxBodyBytes + " is below 1024");
        }
    }

    public static WebServerSettings loopback(int port) {
        return new WebServerSettings("127.0.0.1", port, null, null, 8, 1 << 20);
    }

    public boolean tls() {
        return tlsCertificate != null;
    }
}
