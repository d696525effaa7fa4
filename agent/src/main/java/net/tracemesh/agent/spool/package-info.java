/**
 * The agent's on-disk spool: a bounded, ordered, crash-tolerant queue of Kafka records kept while the broker is
 * unreachable. {@link net.tracemesh.agent.spool.Spool} is the queue, {@link net.tracemesh.agent.spool.SpoolEntry}
 * one record. Pure {@code java.nio}, no Kafka types.
 *
 * <p>Directory layout: {@code NNNNNNNNNNNNNNNNNNNN.seg} segment files (first sequence, 20 digits), {@code
 * acknowledged} (the persisted acknowledgement position), {@code lock}, and transient {@code *.tmp} files.
 */
package net.tracemesh.agent.spool;
