package net.tracemesh.web.http;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.wire.Ipv4Address;

/**
 * Typed reading of query and path parameters. Every failure is a 400 {@link ApiException} that names the
 * parameter and says what was expected, e.g. {@code from: '2026-13-01' is not an ISO-8601 time}.
 */
public final class ApiParams {
    private ApiParams() {
    }

    /** A parameter's single value (query string first, then path), or empty; repeated values are a 400. */
    public static Optional<String> optional(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(name, "given " + values.size() + " times, expected once");
        }
        String v = values.isEmpty() ? ctx.pathParam(name) : values.get(0);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(v);
    }

    public static String required(RoutingContext ctx, String name) {
        return optional(ctx, name).orElseThrow(() -> ApiException.badRequest(name, "is required"));
    }

    /** Every value of a repeatable parameter ({@code agent=a&agent=b}; a comma-separated value also splits). */
    public static List<String> all(RoutingContext ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String v : ctx.queryParam(name)) {
            for (String part : v.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    public static Instant instant(RoutingContext ctx, String name) {
        return parseInstant(name, required(ctx, name));
    }

    public static Optional<Instant> optionalInstant(RoutingContext ctx, String name) {
        return optional(ctx, name).map(v -> parseInstant(name, v));
    }

    public static Instant parseInstant(String name, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "'" + text + "' is not an ISO-8601 UTC time such as"
                    + " 2026-11-23T10:15:30Z");
        }
    }

    /** Throws a 400 naming {@code toName} when {@code to} is before {@code from}. */
    public static void requireOrder(String fromName, Instant from, String toName, Instant to) {
        if (to.isBefore(from)) {
            throw ApiException.badRequest(toName, to + " is before " + fromName + " " + from);
        }
    }

    /** A dotted IPv4 address, returned in canonical form. */
    public static String ipv4(RoutingContext ctx, String name) {
        return parseIpv4(name, required(ctx, name));
    }

    public static String parseIpv4(String name, String text) {
        try {
            return Ipv4Address.format(Ipv4Address.parse(text));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name, "'" + text + "' is not a dotted IPv4 address");
        }
    }

    /** An IPv4 prefix ({@code 198.18.0.0/15}; a bare address is a /32) with host bits zero. */
    public static Ipv4Prefix prefix(RoutingContext ctx, String name) {
        return parsePrefix(name, required(ctx, name));
    }

    public static Ipv4Prefix parsePrefix(String name, String text) {
        try {
            return Ipv4Prefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name, "'" + text + "' is not an IPv4 prefix: " + e.getMessage());
        }
    }

    /** A trace or ping method by its wire name ({@code udp-paris}...), or {@code fallback} when absent. */
    public static MeasurementMethod method(RoutingContext ctx, String name, MeasurementMethod fallback) {
        Optional<String> v = optional(ctx, name);
        if (v.isEmpty()) {
            return fallback;
        }
        return MeasurementMethod.fromWireName(v.get()).orElseThrow(() -> ApiException.badRequest(name,
                "'" + v.get() + "' is not a method (one of " + MeasurementMethod.wireNames() + ")"));
    }

    /** An integer in {@code [min, max]}, or {@code fallback} when absent. */
    public static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
        Optional<String> v = optional(ctx, name);
        if (v.isEmpty()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "'" + v.get() + "' is not an integer");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(name, n + " is out of range " + min + ".." + max);
        }
        return n;
    }
}
