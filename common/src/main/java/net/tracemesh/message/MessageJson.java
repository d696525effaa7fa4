package net.tracemesh.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import net.tracemesh.record.RecordJson;

/**
 * Encodes and decodes the messages agents publish, with the record format's conventions (snake_case,
 * absent fields left out, ISO-8601 times). Decoding tells what is wrong with a bad message; the collector
 * sends such messages to its dead-letter topic with that reason.
 */
public final class MessageJson {
    /** Version of the message schema, written in every message's {@code schema} field. */
    public static final int SCHEMA_VERSION = RecordJson.SCHEMA_VERSION;

    /**
     * The record format's mapper, strict about whole numbers: {@code "1"} or {@code 1.0} where a whole number belongs
     * is an invalid field, as a {@code schema} written so is no schema.
     */
    private static final ObjectMapper MAPPER = strictAboutWholeNumbers(RecordJson.mapper().copy());

    private MessageJson() {
    }

    public static byte[] encode(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decodes a message of the given type.
     *
     * <p>The message is read in one pass, straight into the record, whose constructor checks every field and the
     * schema ({@link AgentMessage}); only a message that fails is read again, as a tree, to tell why.
     *
     * @throws InvalidMessageException for bad JSON, another type, another schema version, missing or impossible fields
     */
    public static <T extends AgentMessage> T decode(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            // not a good message: the tree below names what is wrong
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidMessageException(InvalidMessageException.Reason.BAD_JSON,
                    "not JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidMessageException(InvalidMessageException.Reason.BAD_JSON, "not a JSON object");
        }
        JsonNode schema = tree.get("schema");
        if (schema == null || !schema.isInt()) {
            throw new InvalidMessageException(InvalidMessageException.Reason.MISSING_FIELD, "schema is missing");
        }
        if (schema.intValue() != SCHEMA_VERSION) {
            throw new InvalidMessageException(InvalidMessageException.Reason.UNSUPPORTED_SCHEMA,
                    "schema " + schema.intValue() + " is not supported (this build reads " + SCHEMA_VERSION + ")");
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            String why = cause != null ? cause.getMessage() : firstLine(e.getOriginalMessage());
            throw new InvalidMessageException(InvalidMessageException.Reason.INVALID_FIELD,
                    "not a valid " + type.getSimpleName() + ": " + why);
        }
    }

    private static ObjectMapper strictAboutWholeNumbers(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
