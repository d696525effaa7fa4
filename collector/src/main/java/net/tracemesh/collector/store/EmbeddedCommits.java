package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * How the embedded H2 database writes its pages: in the background while a transaction runs, and every committed
 * transaction to its file before the commit returns.
 *
 * <p>H2 writes out changed pages whenever some megabytes of them are unsaved, also in the middle of a transaction.
 * With a write delay of zero it does so on the thread that is writing rows, which then serialises pages half of
 * the time; with a write delay, H2 serialises and saves them on threads of its own while that thread goes on. The
 * delay alone would let a small transaction's commit reach the file up to that delay later (a large one, written out
 * already in part, is written out whole at commit by H2 itself), so the store writes every commit out before it
 * returns: a collector killed after a commit cannot have committed Kafka offsets past traces the file lost.
 *
 * <p>The only use of H2's engine classes (its session and store) rather than JDBC: JDBC has no call for "write the
 * committed changes out now" ({@code CHECKPOINT} also compacts the file).
 */
final class EmbeddedCommits {
    /**
     * H2's write delay, in milliseconds: the background writer stores what a transaction left unsaved after this
     * long; every commit is written out at once by {@link #writeOut}, so this only has to be long enough not to add
     * stores of its own in the middle of a batch (a delay of a second did: more, smaller stores, each rewriting the
     * pages most batches touch).
     */
    static final int WRITE_DELAY_MS = 60_000;

    private EmbeddedCommits() {
    }

    /**
     * Writes the changes committed through {@code connection} (an embedded H2 connection) to the database file now,
     * unless they are there already; returns once they are written.
     */
    static void writeOut(Connection connection) throws SQLException {
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local)) {
            throw new SQLException("not an embedded H2 connection: " + session.getClass().getName());
        }
        try {
            local.getDatabase().getStore().getMvStore().commit();
        } catch (RuntimeException e) {
            throw new SQLException("writing the committed transaction to the database file failed: "
                    + e.getMessage(), e);
        }
    }
}
