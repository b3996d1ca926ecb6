package dev.turnout.apply;

import java.util.List;

import dev.turnout.core.config.TableId;

/**
 * What the applier keeps in the target database besides the rows: the guard column every target row carries, the
 * consumed offsets, and the positions of deleted keys. One place, so that the applier, {@code turnout schema apply} and
 * the README agree on names and shapes.
 */
public final class TurnoutTables {

    /**
     * The source position (LSN) of the change a target row was last written from. A change is written only when its
     * position is newer; a row whose guard is null (it predates Turnout) counts as older than any change.
     */
    public static final String GUARD_COLUMN = "_turnout_lsn";

    /** The guard column's type. */
    public static final String GUARD_TYPE = "bigint";

    /**
     * Consumed apply-topic offsets, one row per consumer group and partition: the next offset to read. Written in the
     * same transaction as the rows, so the target always knows exactly which changes it holds.
     */
    public static final TableId OFFSETS = new TableId("public", "turnout_offsets");

    /**
     * Positions of deleted keys, one row per target table and key, so that a late, older upsert cannot bring a deleted
     * key back. Rows older than {@code apply.tombstoneRetention} are removed.
     */
    public static final TableId TOMBSTONES = new TableId("public", "turnout_tombstones");

    private TurnoutTables() {
    }

    /** {@code CREATE TABLE} of {@link #OFFSETS}. */
    public static String offsetsDdl(boolean ifNotExists) {
        return "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + OFFSETS + " (\n"
            + "  group_id text NOT NULL,\n"
            + "  topic text NOT NULL,\n"
            + "  partition integer NOT NULL,\n"
            + "  next_offset bigint NOT NULL,\n"
            + "  updated_at timestamptz NOT NULL DEFAULT now(),\n"
            + "  PRIMARY KEY (group_id, topic, partition)\n"
            + ")";
    }

    /** {@code CREATE TABLE} of {@link #TOMBSTONES} and the index its cleanup uses. */
    public static List<String> tombstonesDdl(boolean ifNotExists) {
        String ine = ifNotExists ? "IF NOT EXISTS " : "";
        return List.of(
            "CREATE TABLE " + ine + TOMBSTONES + " (\n"
                + "  target_table text NOT NULL,\n"
                + "  key text NOT NULL,\n"
                + "  lsn bigint NOT NULL,\n"
                + "  deleted_at timestamptz NOT NULL DEFAULT now(),\n"
                + "  PRIMARY KEY (target_table, key)\n"
                + ")",
            "CREATE INDEX " + ine + "turnout_tombstones_deleted_at ON " + TOMBSTONES + " (deleted_at)");
    }
}
