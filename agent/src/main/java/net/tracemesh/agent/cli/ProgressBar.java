package net.tracemesh.agent.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar redrawn in place on a terminal. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int total;
    private final long startNanos = System.nanoTime();

    ProgressBar(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    void draw(int done, long probes) {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d traces, %d probes, %.1f s", "=".repeat(filled),
                " ".repeat(WIDTH - filled), done, total, probes, seconds));
        out.flush();
    }

    void clear() {
        out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
        out.flush();
    }
}
