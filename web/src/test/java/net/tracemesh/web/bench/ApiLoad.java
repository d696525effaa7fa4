package net.tracemesh.web.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop load generator for the API: sends requests at a fixed total rate, round robin over named routes, and
 * measures each latency from the moment the request was due (so a slow server cannot hide its queueing by slowing
 * the generator down). Prints p50/p99/max per route and overall.
 */
final class ApiLoad {
    /** A named request target: the route's label and the path with its query. */
    record Target(String route, String pathAndQuery) {
    }

    /** What one run measured. */
    record Result(Map<String, long[]> latenciesNanosByRoute, long errors, long sent, double seconds) {
        long[] all() {
            return latenciesNanosByRoute.values().stream().flatMapToLong(Arrays::stream).sorted().toArray();
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String token;

    ApiLoad(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    Result run(List<Target> targets, double ratePerSecond, Duration duration) throws InterruptedException {
        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        for (long due = start; due < end; due += intervalNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Target t = targets.get((int) (sent++ % targets.size()));
            HttpRequest request = HttpRequest.newBuilder(base.resolve(t.pathAndQuery()))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
            long dueAt = due;
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                long took = System.nanoTime() - dueAt;
                if (e != null || r.statusCode() >= 400) {
                    errors.incrementAndGet();
                } else {
                    latencies.computeIfAbsent(t.route(), k -> java.util.Collections.synchronizedList(
                            new ArrayList<>())).add(took);
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, long[]> byRoute = new LinkedHashMap<>();
        for (Target t : targets) {
            List<Long> l = latencies.getOrDefault(t.route(), List.of());
            synchronized (l) {
                byRoute.putIfAbsent(t.route(), l.stream().mapToLong(Long::longValue).sorted().toArray());
            }
        }
        return new Result(byRoute, errors.get(), sent, seconds);
    }

    /** Nearest-rank percentile in milliseconds of sorted nanosecond values, NaN when empty. */
    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }

    static void print(String title, Result result, double targetRate) {
        System.out.printf("%n%s: %d requests in %.1f s (%.0f/s offered, target %.0f/s), %d errors%n", title,
                result.sent(), result.seconds(), result.sent() / result.seconds(), targetRate, result.errors());
        System.out.printf("| %-28s | %7s | %9s | %9s | %9s |%n", "route", "calls", "p50 ms", "p99 ms", "max ms");
        System.out.println("|------------------------------|---------|-----------|-----------|-----------|");
        result.latenciesNanosByRoute().forEach((route, l) -> row(route, l));
        row("all routes", result.all());
    }

    private static void row(String route, long[] sorted) {
        System.out.printf("| %-28s | %7d | %9.2f | %9.2f | %9.2f |%n", route, sorted.length,
                percentileMillis(sorted, 50), percentileMillis(sorted, 99), percentileMillis(sorted, 100));
    }
}
