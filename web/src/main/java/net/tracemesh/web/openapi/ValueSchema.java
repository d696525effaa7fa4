package net.tracemesh.web.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.tracemesh.web.http.ApiException;
import net.tracemesh.web.http.ApiParams;

/**
 * The part of JSON Schema that a query or path parameter's value is checked against: its type, format
 * ({@code date-time}, {@code ipv4}), enum, pattern (searched, as JSON Schema does: anchor it with {@code ^...$}),
 * numeric bounds, length bounds and, for a repeatable parameter ({@code type: array}), item count bounds and the
 * items' schema.
 */
public record ValueSchema(Type type, String format, List<String> enumValues, Pattern pattern, BigDecimal minimum,
                          BigDecimal maximum, BigDecimal exclusiveMinimum, BigDecimal exclusiveMaximum,
                          Integer minLength, Integer maxLength, Integer minItems, Integer maxItems,
                          ValueSchema items) {
    /** The JSON Schema types a parameter can have. */
    public enum Type {
        STRING, INTEGER, NUMBER, BOOLEAN, ARRAY;

        static Type named(String name, String where) {
            for (Type t : values()) {
                if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return t;
                }
            }
            throw new IllegalStateException(where + ": parameter type '" + name + "' is not supported (string,"
                    + " integer, number, boolean or array)");
        }
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,30}");
    private static final Pattern NUMBER = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    public ValueSchema {
        enumValues = enumValues == null ? null : List.copyOf(enumValues);
        if (type == Type.ARRAY && items == null) {
            throw new IllegalArgumentException("an array parameter needs an items schema");
        }
    }

    /**
     * Reads a parameter's schema.
     *
     * @param schema   the schema object
     * @param resolve  follows a {@code $ref} object to what it points at
     * @param where    the operation and parameter, for messages about the document
     */
    public static ValueSchema of(JsonNode schema, UnaryOperator<JsonNode> resolve, String where) {
        JsonNode s = resolve.apply(schema);
        if (s == null || !s.isObject()) {
            throw new IllegalStateException(where + ": the parameter has no schema object");
        }
        Type type = Type.named(typeName(s, where), where);
        ValueSchema items = null;
        if (type == Type.ARRAY) {
            if (s.get("items") == null) {
                throw new IllegalStateException(where + ": an array parameter needs 'items'");
            }
            items = of(s.get("items"), resolve, where);
            if (items.type() == Type.ARRAY) {
                throw new IllegalStateException(where + ": arrays of arrays are not supported as parameters");
            }
        }
        List<String> enumValues = null;
        if (s.has("enum")) {
            enumValues = new ArrayList<>();
            for (JsonNode e : s.get("enum")) {
                enumValues.add(e.asText());
            }
        }
        Pattern pattern = null;
        if (s.has("pattern")) {
            try {
                pattern = Pattern.compile(s.get("pattern").asText());
            } catch (PatternSyntaxException e) {
                throw new IllegalStateException(where + ": pattern does not compile: " + e.getDescription(), e);
            }
        }
        return new ValueSchema(type, text(s, "format"), enumValues, pattern, decimal(s, "minimum"),
                decimal(s, "maximum"), decimal(s, "exclusiveMinimum"), decimal(s, "exclusiveMaximum"),
                whole(s, "minLength"), whole(s, "maxLength"), whole(s, "minItems"), whole(s, "maxItems"), items);
    }

    /**
     * Checks a parameter's values as the request carries them.
     *
     * @param values every value given (empty values already left out); an array parameter's values are also split
     *               at commas, as {@link ApiParams#all} does
     * @throws ApiException 400 naming the parameter
     */
    public void check(String name, List<String> values) {
        if (type == Type.ARRAY) {
            List<String> parts = new ArrayList<>();
            for (String v : values) {
                for (String p : v.split(",")) {
                    if (!p.isBlank()) {
                        parts.add(p.strip());
                    }
                }
            }
            if (minItems != null && parts.size() < minItems) {
                throw ApiException.badRequest(name, "given " + parts.size() + " times, at least " + minItems
                        + " needed");
            }
            if (maxItems != null && parts.size() > maxItems) {
                throw ApiException.badRequest(name, "given " + parts.size() + " times, at most " + maxItems
                        + " allowed");
            }
            for (String p : parts) {
                items.checkOne(name, p);
            }
            return;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name, "given " + values.size() + " times, expected once");
        }
        checkOne(name, values.get(0));
    }

    private void checkOne(String name, String value) {
        switch (type) {
            case INTEGER -> {
                if (!INTEGER.matcher(value).matches()) {
                    throw ApiException.badRequest(name, "'" + clip(value) + "' is not an integer");
                }
                checkRange(name, new BigDecimal(value));
            }
            case NUMBER -> {
                if (!NUMBER.matcher(value).matches()) {
                    throw ApiException.badRequest(name, "'" + clip(value) + "' is not a number");
                }
                checkRange(name, new BigDecimal(value));
            }
            case BOOLEAN -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw ApiException.badRequest(name, "'" + clip(value) + "' is not true or false");
                }
            }
            default -> checkString(name, value);
        }
        if (enumValues != null && !enumValues.contains(value)) {
            throw ApiException.badRequest(name, "'" + clip(value) + "' is not one of " + String.join(", ",
                    enumValues));
        }
    }

    private void checkString(String name, String value) {
        int length = value.codePointCount(0, value.length());
        if (minLength != null && length < minLength) {
            throw ApiException.badRequest(name, "is shorter than " + minLength + " characters");
        }
        if (maxLength != null && length > maxLength) {
            throw ApiException.badRequest(name, "is longer than " + maxLength + " characters");
        }
        if (format != null) {
            switch (format) {
                case "date-time" -> ApiParams.parseInstant(name, value);
                case "ipv4" -> ApiParams.parseIpv4(name, value);
                default -> {
                    // other formats are annotations only
                }
            }
        }
        if (pattern != null && !pattern.matcher(value).find()) {
            throw ApiException.badRequest(name, "'" + clip(value) + "' does not match " + pattern.pattern());
        }
    }

    private void checkRange(String name, BigDecimal n) {
        if (minimum != null && n.compareTo(minimum) < 0) {
            throw ApiException.badRequest(name, n + " is below the minimum " + minimum.toPlainString());
        }
        if (maximum != null && n.compareTo(maximum) > 0) {
            throw ApiException.badRequest(name, n + " is above the maximum " + maximum.toPlainString());
        }
        if (exclusiveMinimum != null && n.compareTo(exclusiveMinimum) <= 0) {
            throw ApiException.badRequest(name, n + " must be more than " + exclusiveMinimum.toPlainString());
        }
        if (exclusiveMaximum != null && n.compareTo(exclusiveMaximum) >= 0) {
            throw ApiException.badRequest(name, n + " must be less than " + exclusiveMaximum.toPlainString());
        }
    }

    /** The schema's type; OpenAPI 3.1 may list several ({@code [string, "null"]}): the first that is not null. */
    private static String typeName(JsonNode s, String where) {
        JsonNode t = s.get("type");
        if (t == null) {
            throw new IllegalStateException(where + ": the parameter's schema has no type");
        }
        if (t.isArray()) {
            for (JsonNode n : t) {
                if (!n.asText().equals("null")) {
                    return n.asText();
                }
            }
            throw new IllegalStateException(where + ": the parameter's schema has no type but null");
        }
        return t.asText();
    }

    private static String text(JsonNode s, String key) {
        return s.has(key) ? s.get(key).asText() : null;
    }

    private static BigDecimal decimal(JsonNode s, String key) {
        return s.has(key) && s.get(key).isNumber() ? s.get(key).decimalValue() : null;
    }

    private static Integer whole(JsonNode s, String key) {
        return s.has(key) && s.get(key).canConvertToInt() ? s.get(key).intValue() : null;
    }

    private static String clip(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
