package net.tracemesh.message;

/**
 * A message agents publish. Each one's constructor refuses any schema but {@link MessageJson#SCHEMA_VERSION}
 * ({@link MessageFields#requireSchema}): a message that decodes into one of these is of this build's schema, which
 * lets {@link MessageJson#decode} read a good message in one pass.
 */
public sealed interface AgentMessage
        permits AgentErrorMessage, HeartbeatMessage, HopMessage, PingMessage, TraceCompletionMessage {
    /** The message schema version the message was written in. */
    int schema();
}
