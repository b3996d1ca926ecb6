package dev.turnout.app.dashboard;

/** PostgreSQL's text form of a WAL position ({@code 16/B374D848}): what operators see in {@code pg_replication_slots}. */
final class Lsn {

    private Lsn() {
    }

    /** The text form, or null for null. */
    static String text(Long lsn) {
        if (lsn == null) {
            return null;
        }
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
            + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase(java.util.Locale.ROOT);
    }
}
