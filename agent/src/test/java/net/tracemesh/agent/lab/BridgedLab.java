package net.tracemesh.agent.lab;

/**
 * A lab whose vantage namespaces also reach this (root) namespace over a {@link ManagementBridge}, so agents in
 * them talk to a Kafka broker running here ({@link MultiVantageLab}, {@link EcmpMeshLab}). A subclass builds its
 * topology in {@link #build()} and cables its vantage points to the bridge in {@link #attachVantages}; closing
 * deletes the namespaces and the bridge.
 */
public abstract class BridgedLab implements AutoCloseable {
    /** The namespaces, links and routes of the lab. */
    final NetnsLab lab;
    private final String bridgePrefix;
    private final String brokerHost;
    private ManagementBridge bridge;

    /**
     * A lab of namespaces named {@code namespacePrefix...}, whose bridge is {@code <bridgePrefix><pid>} with
     * {@code brokerHost}/24.
     */
    BridgedLab(String namespacePrefix, String bridgePrefix, String brokerHost) {
        this.lab = NetnsLab.create(namespacePrefix);
        this.bridgePrefix = bridgePrefix;
        this.brokerHost = brokerHost;
    }

    /** Makes the namespaces, links and routes. */
    abstract void build();

    /** Cables the vantage points to {@code bridge} (see {@link ManagementBridge#attach}). */
    abstract void attachVantages(ManagementBridge bridge);

    /** Builds the topology, then the management network; closes what was made if that fails. */
    final <L extends BridgedLab> L buildAll(Class<L> type) {
        return LabWiring.buildOrClose(() -> {
            build();
            bridge = ManagementBridge.create(bridgePrefix, brokerHost + "/24");
            attachVantages(bridge);
            return type.cast(this);
        }, this::close);
    }

    /** Deletes the namespaces and the bridge. */
    @Override
    public void close() {
        try {
            lab.close();
        } finally {
            if (bridge != null) {
                bridge.close();
            }
        }
    }
}
