package net.tracemesh.broker.security;

import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * The address of the client whose bytes a broker network thread is handling, for the audit of refused logins.
 *
 * <p>Kafka's SASL layer never tells the SCRAM server who the client is, but on a TLS listener every SASL token is
 * decrypted by the connection's {@link SSLEngine} on the same network thread just before the SCRAM server reads it.
 * {@link EngineFactory} (the listener's {@code ssl.engine.factory.class}) is Kafka's own
 * {@link DefaultSslEngineFactory} whose server engines note their peer in a thread-local on every unwrap; that is
 * {@link #current()}. All TLS work is done by the JDK engine it wraps.
 */
public final class ClientAddresses {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private ClientAddresses() {
    }

    /** The peer of the last TLS record this thread decrypted on a broker listener, or null. */
    public static String current() {
        return CURRENT.get();
    }

    /** Kafka's default engine factory; server engines report their peer to {@link ClientAddresses}. */
    public static final class EngineFactory implements SslEngineFactory {
        private final DefaultSslEngineFactory delegate = new DefaultSslEngineFactory();

        @Override
        public void configure(Map<String, ?> configs) {
            delegate.configure(configs);
        }

        @Override
        public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
            return delegate.createClientSslEngine(peerHost, peerPort, endpointIdentification);
        }

        @Override
        public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
            return new PeerNotingEngine(delegate.createServerSslEngine(peerHost, peerPort), peerHost);
        }

        @Override
        public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
            return delegate.shouldBeRebuilt(nextConfigs);
        }

        @Override
        public Set<String> reconfigurableConfigs() {
            return delegate.reconfigurableConfigs();
        }

        @Override
        public KeyStore keystore() {
            return delegate.keystore();
        }

        @Override
        public KeyStore truststore() {
            return delegate.truststore();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** A JDK engine that sets {@link #CURRENT} to its peer whenever it decrypts. */
    static final class PeerNotingEngine extends SSLEngine {
        private final SSLEngine engine;
        private final String peer;

        PeerNotingEngine(SSLEngine engine, String peer) {
            super(engine.getPeerHost(), engine.getPeerPort());
            this.engine = engine;
            this.peer = peer;
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            CURRENT.set(peer);
            return engine.unwrap(src, dsts, offset, length);
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            return engine.wrap(srcs, offset, length, dst);
        }

        @Override
        public Runnable getDelegatedTask() {
            return engine.getDelegatedTask();
        }

        @Override
        public void closeInbound() throws SSLException {
            engine.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return engine.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            engine.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return engine.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return engine.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return engine.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            engine.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return engine.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return engine.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            engine.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return engine.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return engine.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            engine.beginHandshake();
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return engine.getHandshakeStatus();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            engine.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return engine.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            engine.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return engine.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            engine.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return engine.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            engine.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return engine.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return engine.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            engine.setSSLParameters(params);
        }

        @Override
        public String getApplicationProtocol() {
            return engine.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return engine.getHandshakeApplicationProtocol();
        }

        @Override
        public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
            engine.setHandshakeApplicationProtocolSelector(selector);
        }

        @Override
        public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return engine.getHandshakeApplicationProtocolSelector();
        }
    }
}
