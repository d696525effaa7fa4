package net.tracemesh.agent.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** Asks libc whether a file descriptor is a terminal (Java can only tell for stdin and stdout together). */
final class Terminal {
    private static final int STDERR = 2;

    private Terminal() {
    }

    interface LibC extends Library {
        int isatty(int fd);
    }

    static boolean stderrIsTerminal() {
        try {
            return Native.load("c", LibC.class).isatty(STDERR) == 1;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
