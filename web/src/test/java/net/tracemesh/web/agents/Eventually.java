package net.tracemesh.web.agents;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for something asynchronous to become true in a test. */
public final class Eventually {
    private static final long STEP_MILLIS = 50;

    private Eventually() {
    }

    /** Calls {@code check} until it returns normally (assertions pass) or {@code limit} has passed. */
    public static void within(Duration limit, ThrowingRunnable check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            Thread.sleep(STEP_MILLIS);
        }
    }

    /** Calls {@code value} until it is non-null, or fails after {@code limit}. */
    public static <T> T value(Duration limit, Callable<T> value) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - deadline < 0) {
            T v = value.call();
            if (v != null) {
                return v;
            }
            Thread.sleep(STEP_MILLIS);
        }
        throw new AssertionError("nothing within " + limit);
    }

    /** A check that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
