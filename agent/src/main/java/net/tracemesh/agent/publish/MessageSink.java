package net.tracemesh.agent.publish;

/** Where the agent's parts hand messages for Kafka; safe from any thread and never blocks. */
@FunctionalInterface
public interface MessageSink {
    void publish(Outgoing message);
}
