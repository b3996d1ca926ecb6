package dev.turnout.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.LoadedConfig;
import dev.turnout.reconcile.schema.SchemaDiff;
import dev.turnout.reconcile.schema.SchemaDiffReport;
import dev.turnout.reconcile.schema.SchemaDiffReport.Finding;

/**
 * {@code turnout schema diff} against two real catalogs with planted differences: it reports each, with the right
 * severity, and does not report a column the mapping renames or computes from as missing.
 */
class SchemaDiffTest {

    @Test
    void plantedCatalogDifferencesAreReportedAndMappedRenamesAreNot() throws Exception {
        try (PipelineFixture f = new PipelineFixture("schema_diff")) {
            f.source("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, display_name text, age int2, "
                    + "balance numeric(10,2) NOT NULL DEFAULT 0, created timestamp(6) NOT NULL, notes text, "
                    + "legacy_flag bool)",
                "CREATE TABLE orders (id int PRIMARY KEY, total numeric(12,2))",
                "CREATE TABLE items (sku text PRIMARY KEY, qty int NOT NULL)");
            f.target("CREATE TABLE accounts (id bigint PRIMARY KEY, email varchar(50) NOT NULL, name text, age int4, "
                    + "balance numeric(8,2) NOT NULL DEFAULT 0, created timestamp(3) NOT NULL, region text NOT NULL, "
                    + "comment text, _turnout_lsn bigint)",
                "CREATE TABLE items (sku text NOT NULL, qty bigint, _turnout_lsn bigint)",
                "CREATE TABLE audit_log (id int PRIMARY KEY)",
                "CREATE TABLE turnout_offsets (group_id text, topic text, partition int, next_offset bigint)");
            LoadedConfig config = f.config(List.of("public.users", "public.orders", "public.items"), "replicate", """
                mappings:
                  - from: public.users
                    to: public.accounts
                    columns:
                      id: row.id
                      email: row.email
                      name: "!isBlank(row.display_name) ? row.display_name : part(row.email, '@', 0)"
                      age: row.age
                      balance: row.balance
                      created: row.created
                      notes: row.notes
                """);
            SchemaDiffReport report;
            try (Connection source = f.pg.connect(f.sourceDb); Connection target = f.pg.connect(f.targetDb)) {
                report = SchemaDiff.compare(f.compile(config), source, target);
            }

            assertThat(report.targetHoldsMappings()).isFalse();
            assertThat(findings(report, "public.accounts")).containsExactlyInAnyOrder(
                "ERROR TYPE_CHANGED email",        // text into varchar(50): values may not fit
                "INFO TYPE_CHANGED age",           // int2 into int4: wider
                "ERROR TYPE_CHANGED balance",      // numeric(10,2) into numeric(8,2): integer digits may not fit
                "WARNING TYPE_CHANGED created",    // timestamp(6) into timestamp(3): rounded
                "ERROR COLUMN_MISSING notes",      // written by the mapping, absent from the target
                "ERROR COLUMN_NEW region",         // NOT NULL without default, written by nobody
                "INFO COLUMN_NEW comment",
                "INFO TYPE_CHANGED id",            // int into bigint
                "INFO COLUMN_NOT_CARRIED legacy_flag");
            // display_name is renamed (read by name's expression): not missing, not "not carried".
            assertThat(findings(report, "public.accounts")).noneMatch(s -> s.contains("display_name"));
            assertThat(finding(report, "public.accounts", "email").detail())
                .contains("values longer than 50 characters do not fit");
            assertThat(findings(report, "public.orders")).containsExactly("ERROR TABLE_MISSING null");
            assertThat(findings(report, "public.items")).containsExactlyInAnyOrder(
                "INFO TYPE_CHANGED qty", "INFO NULLABILITY_CHANGED qty", "ERROR KEY_MISSING sku");
            assertThat(report.newTables()).containsExactly("public.audit_log");
        }
    }

    @Test
    void aTargetThatHoldsWhatTheMappingsWriteHasNoError() throws Exception {
        try (PipelineFixture f = new PipelineFixture("schema_ok")) {
            f.source("CREATE TABLE users (id int PRIMARY KEY, first text, last text)");
            f.target("CREATE TABLE people (id int PRIMARY KEY, full_name text, _turnout_lsn bigint)");
            LoadedConfig config = f.config(List.of("public.users"), "replicate", """
                mappings:
                  - from: public.users
                    to: public.people
                    columns:
                      id: row.id
                      full_name: concat(row.first, ' ', row.last)
                """);
            SchemaDiffReport report;
            try (Connection source = f.pg.connect(f.sourceDb); Connection target = f.pg.connect(f.targetDb)) {
                report = SchemaDiff.compare(f.compile(config), source, target);
            }
            assertThat(report.targetHoldsMappings()).isTrue();
            assertThat(report.tables().get(0).findings()).isEmpty();
        }
    }

    private static List<String> findings(SchemaDiffReport report, String target) {
        return report.tables().stream().filter(t -> t.target().equals(target)).findFirst().orElseThrow().findings()
            .stream().map(x -> x.severity() + " " + x.kind() + " " + x.column()).collect(Collectors.toList());
    }

    private static Finding finding(SchemaDiffReport report, String target, String column) {
        return report.tables().stream().filter(t -> t.target().equals(target)).findFirst().orElseThrow().findings()
            .stream().filter(x -> column.equals(x.column())).findFirst().orElseThrow();
    }
}
