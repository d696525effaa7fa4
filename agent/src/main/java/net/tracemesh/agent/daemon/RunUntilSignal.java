package net.tracemesh.agent.daemon;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running process up until SIGTERM or Ctrl-C, then stops what it runs before the JVM exits. */
public final class RunUntilSignal {
    private RunUntilSignal() {
    }

    /** Blocks the calling thread until the JVM is asked to shut down and {@code service} is closed. */
    public static void await(AutoCloseable service) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "tracemesh-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
