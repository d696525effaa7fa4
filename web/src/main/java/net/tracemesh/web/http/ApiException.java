package net.tracemesh.web.http;

/**
 * A request that cannot be answered as asked. The web server turns it into the API's JSON error
 * ({@code {"error": code, "message": ..., "field": ...}}) with this status.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    /** 400: a parameter or body field is missing or not valid; {@code field} names it (or is null). */
    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "bad_request", field, field == null ? message : field + ": " + message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", null, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", null, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", null, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", null, message);
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(429, "too_many_requests", null, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", null, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The parameter or body field at fault, or null. */
    public String field() {
        return field;
    }
}
