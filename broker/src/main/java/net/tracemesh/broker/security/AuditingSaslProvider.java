package net.tracemesh.broker.security;

import java.security.Provider;
import java.security.Security;
import java.util.Map;
import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import javax.security.sasl.SaslServerFactory;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMessages;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every SCRAM login the brokers of this JVM refuse. Kafka finds its SCRAM server through the Java security
 * providers; this provider, installed ahead of Kafka's, hands out Kafka's own {@link ScramSaslServer} wrapped so that
 * a failed exchange is recorded in the broker's {@link AuditLog} with the user name the client gave and whether the
 * user is unknown or the password wrong. Authentication itself is untouched: every byte goes to Kafka's server.
 *
 * <p>The SASL layer does not tell a server the client's address; {@link ClientAddresses} supplies it for TLS
 * listeners.
 */
public final class AuditingSaslProvider extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "TracemeshAuditingSasl";
    private static final Logger LOG = LoggerFactory.getLogger(AuditingSaslProvider.class);

    private AuditingSaslProvider() {
        super(NAME, "1.0", "SCRAM servers that record refused logins in the tracemesh security audit");
        put("SaslServerFactory.SCRAM-SHA-256", Factory.class.getName());
        put("SaslServerFactory.SCRAM-SHA-512", Factory.class.getName());
    }

    /** Installs the provider ahead of every other one, once per JVM. */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new AuditingSaslProvider(), 1);
        }
    }

    /** Makes Kafka's SCRAM servers and wraps them. */
    public static final class Factory implements SaslServerFactory {
        private final SaslServerFactory kafka = new ScramSaslServer.ScramSaslServerFactory();

        @Override
        public SaslServer createSaslServer(String mechanism, String protocol, String serverName, Map<String, ?> props,
                                           CallbackHandler cbh) throws SaslException {
            SaslServer server = kafka.createSaslServer(mechanism, protocol, serverName, props, cbh);
            return server == null ? null : new Audited(server, mechanism);
        }

        @Override
        public String[] getMechanismNames(Map<String, ?> props) {
            return kafka.getMechanismNames(props);
        }
    }

    /** Kafka's SCRAM server, with refused exchanges recorded. */
    static final class Audited implements SaslServer {
        private final SaslServer delegate;
        private final String mechanism;
        private int step;
        private String user;

        Audited(SaslServer delegate, String mechanism) {
            this.delegate = delegate;
            this.mechanism = mechanism;
        }

        @Override
        public byte[] evaluateResponse(byte[] response) throws SaslException {
            int current = step++;
            if (current == 0) {
                user = userName(response);
            }
            try {
                return delegate.evaluateResponse(response);
            } catch (SaslException | RuntimeException e) {
                record(current, e);
                throw e;
            }
        }

        private void record(int current, Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            String reason;
            if (message.contains("Invalid user credentials")) {
                reason = AuditEvent.UNKNOWN_USER;
            } else if (current >= 1 && message.contains("Invalid client credentials")) {
                reason = AuditEvent.WRONG_PASSWORD;
            } else {
                reason = AuditEvent.FAILED;
            }
            AuditEvent event = AuditEvent.authenticationFailed(user, ClientAddresses.current(), mechanism, reason,
                    reason.equals(AuditEvent.FAILED) ? message : null);
            var logs = AuditLog.open();
            if (logs.isEmpty()) {
                LOG.warn("{}", event.describe());
            }
            logs.forEach(l -> l.record(event));
        }

        private static String userName(byte[] clientFirst) {
            try {
                return ScramFormatter.username(new ScramMessages.ClientFirstMessage(clientFirst).saslName());
            } catch (SaslException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public String getMechanismName() {
            return delegate.getMechanismName();
        }

        @Override
        public boolean isComplete() {
            return delegate.isComplete();
        }

        @Override
        public String getAuthorizationID() {
            return delegate.getAuthorizationID();
        }

        @Override
        public byte[] unwrap(byte[] incoming, int offset, int len) throws SaslException {
            return delegate.unwrap(incoming, offset, len);
        }

        @Override
        public byte[] wrap(byte[] outgoing, int offset, int len) throws SaslException {
            return delegate.wrap(outgoing, offset, len);
        }

        @Override
        public Object getNegotiatedProperty(String propName) {
            return delegate.getNegotiatedProperty(propName);
        }

        @Override
        public void dispose() throws SaslException {
            delegate.dispose();
        }
    }
}
