package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A schema change written in Java because it computes rows from existing ones; run by Flyway in order with the SQL
 * migrations, in the migration's transaction. No checksum: the class is the migration.
 */
abstract class StoreMigration implements JavaMigration {
    private final MigrationVersion version;
    private final String description;

    StoreMigration(String version, String description) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return null;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public final void migrate(Context context) throws SQLException {
        migrate(context.getConnection());
    }

    /** Changes the schema and its rows over {@code c}, within the migration's transaction. */
    abstract void migrate(Connection c) throws SQLException;
}
