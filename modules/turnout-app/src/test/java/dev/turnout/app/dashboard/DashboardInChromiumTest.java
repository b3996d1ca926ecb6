package dev.turnout.app.dashboard;

import static dev.turnout.app.dashboard.PlantedReconcileTopics.diff;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.turnout.schemas.reconcile.KeyStatus;

/**
 * The page as a person sees it: Debian's headless Chromium, driven through chromedriver, renders the dashboard of
 * planted reconcile records, and the test reads the rendered page (after its script ran). Saves
 * {@code target/dashboard.png}. Skipped only when there is no Chromium ({@code .ci/run} installs it).
 */
class DashboardInChromiumTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("turnout.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("turnout.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACCOUNTS = "public.accounts";
    private static final String ORDERS = "public.orders";
    private static final String SCRIPT = "<img src=x onerror=alert(1)>";

    private PlantedReconcileTopics topics;
    private Dashboard dashboard;
    private ChromeDriver browser;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
            "no Chromium at " + CHROMIUM + " (apt-get install chromium chromium-driver; .ci/run does)");
        topics = new PlantedReconcileTopics("dash_ui");
        topics.createTable(ACCOUNTS);
        topics.createTable(ORDERS);
        for (long id = 100; id < 130; id++) {
            topics.status(ACCOUNTS, id, KeyStatus.MATCH);
        }
        topics.status(ACCOUNTS, 2, KeyStatus.MISMATCH, diff("email", "ann@example.com", "ann@example.org"),
            diff("name", "Ann Lee", null));
        topics.status(ACCOUNTS, 3, KeyStatus.MISSING);
        topics.status(ACCOUNTS, 4, KeyStatus.EXTRA);
        topics.status(ACCOUNTS, 5, KeyStatus.PENDING, diff("name", "Bo", "Bob"));
        topics.status(ACCOUNTS, 6, KeyStatus.MISMATCH, diff("email", "gone@example.com", "x"));
        topics.tombstone(ACCOUNTS, 6);
        topics.status(ORDERS, 9, KeyStatus.MISMATCH, diff("note", "plain", SCRIPT));
        topics.summary(ACCOUNTS, 30, 1, 1, 1, 1, 95_000L, 0x16_0000_0500L);
        topics.summary(ORDERS, 0, 0, 1, 0, 0, 99_000L, 0x16_0000_0900L);
        dashboard = Dashboard.start("127.0.0.1:0", Optional.empty(),
            DashboardSource.of(topics.config(), PlantedReconcileTopics.registryUrl()), Duration.ofMillis(250));

        ChromeOptions options = new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,1100", "--hide-scrollbars", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    void thePageShowsThePlantedDifferencesAndFollowsNewOnes() throws IOException {
        browser.get(dashboard.url().toString());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        Row mismatch = wait.until(b -> row("id=2"));
        assertThat(mismatch.status()).isEqualTo("MISMATCH");
        assertThat(mismatch.fields()).containsExactly("email", "name");
        assertThat(mismatch.expected()).containsExactly("ann@example.com", "Ann Lee");
        assertThat(mismatch.actual()).containsExactly("ann@example.org", "NULL");
        assertThat(wait.until(b -> row("id=3")).text()).contains("MISSING").contains("absent from the target");
        assertThat(wait.until(b -> row("id=4")).text()).contains("EXTRA").contains("only in the target");
        assertThat(wait.until(b -> row("id=5")).text()).contains("PENDING").contains("Bo").contains("Bob");
        assertThat(row("id=6")).as("a tombstoned key is gone").isNull();
        assertThat(row("id=100")).as("MATCH keys are not listed").isNull();

        Card accounts = wait.until(b -> {
            Card c = card(ACCOUNTS);
            return c != null && c.counts().get("MATCH").equals("30") ? c : null;
        });
        assertThat(accounts.counts()).containsEntry("MISMATCH", "1").containsEntry("MISSING", "1")
            .containsEntry("EXTRA", "1").containsEntry("PENDING", "1");
        assertThat(accounts.text()).contains("16/500");
        assertThat(text("#verdict")).isEqualTo("4 unresolved keys");
        wait.until(b -> {
            Card c = card(ACCOUNTS);
            return c != null && c.sparkLines() == 3;
        });

        // Row values are text: the planted markup is shown, not run.
        Row script = wait.until(b -> row("id=9"));
        assertThat(script.actual()).containsExactly(SCRIPT);
        assertThat(browser.findElements(By.cssSelector("#keys img"))).isEmpty();
        assertThat(alertShown()).isFalse();

        // Live: a new difference appears without reloading.
        topics.status(ACCOUNTS, 7, KeyStatus.MISMATCH, diff("email", "cy@example.com", "CY@example.com"));
        topics.summary(ACCOUNTS, 30, 1, 2, 1, 1, 96_000L, 0x16_0000_0700L);
        assertThat(wait.until(b -> row("id=7")).text()).contains("cy@example.com").contains("CY@example.com");
        wait.until(b -> "5 unresolved keys".equals(text("#verdict")));
        wait.until(b -> {
            Card c = card(ACCOUNTS);
            return c != null && c.counts().get("MISMATCH").equals("2");
        });
        screenshot(Path.of("target", "dashboard.png"));

        // Search by key text finds a key of any status.
        browser.findElement(By.id("search")).sendKeys("id=12");
        wait.until(b -> row("id=2") == null && row("id=120") != null);
        assertThat(row("id=120").status()).isEqualTo("MATCH");
        assertThat(keysShown()).hasSize(10);
        browser.findElement(By.id("search")).clear();

        // A repaired key leaves the list.
        topics.status(ACCOUNTS, 2, KeyStatus.MATCH);
        wait.until(b -> row("id=7") != null && row("id=2") == null);
    }

    /** One rendered row of the keys table, read in one script run (the page re-renders every 2 s). */
    record Row(String status, String text, List<String> fields, List<String> expected, List<String> actual) {
    }

    /** One rendered table card. */
    record Card(String text, Map<String, String> counts, long sparkLines) {
    }

    @SuppressWarnings("unchecked")
    private Row row(String key) {
        Map<String, Object> r = (Map<String, Object>) browser.executeScript("""
            const row = [...document.querySelectorAll('#keys-body tr[data-key]')]
              .find(r => r.getAttribute('data-key') === arguments[0]);
            if (!row) return null;
            const texts = s => [...row.querySelectorAll(s)].map(e => e.innerText);
            return {status: row.querySelector('.badge').innerText, text: row.innerText,
                    fields: texts('.diffs .f'), expected: texts('.diffs .e'), actual: texts('.diffs .a')};
            """, key);
        return r == null ? null : new Row((String) r.get("status"), (String) r.get("text"), (List<String>) r.get("fields"),
            (List<String>) r.get("expected"), (List<String>) r.get("actual"));
    }

    @SuppressWarnings("unchecked")
    private Card card(String table) {
        Map<String, Object> c = (Map<String, Object>) browser.executeScript("""
            const card = [...document.querySelectorAll('#tables .card')]
              .find(c => c.getAttribute('data-table') === arguments[0]);
            if (!card) return null;
            const counts = {};
            card.querySelectorAll('.count[data-status]').forEach(e => counts[e.getAttribute('data-status')] =
              e.querySelector('.n').innerText);
            return {text: card.innerText, counts: counts,
                    sparkLines: card.querySelectorAll('svg.spark polyline').length};
            """, table);
        return c == null ? null : new Card((String) c.get("text"), (Map<String, String>) c.get("counts"),
            (Long) c.get("sparkLines"));
    }

    @SuppressWarnings("unchecked")
    private List<String> keysShown() {
        return (List<String>) browser.executeScript(
            "return [...document.querySelectorAll('#keys-body tr[data-key]')].map(r => r.getAttribute('data-key'));");
    }

    private String text(String selector) {
        return (String) browser.executeScript("return document.querySelector(arguments[0]).innerText;", selector);
    }

    private boolean alertShown() {
        try {
            browser.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    private void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }
}
