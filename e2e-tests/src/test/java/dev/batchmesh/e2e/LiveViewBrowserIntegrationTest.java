package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import dev.batchmesh.e2e.support.EmbeddedBroker;
import dev.batchmesh.e2e.support.GatewayClient;
import dev.batchmesh.e2e.support.GatewayClient.Answer;
import dev.batchmesh.e2e.support.OpenApiContract;
import dev.batchmesh.e2e.support.PipelineCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The live web view in headless Chromium against the whole suite: the page is opened through the
 * gateway, watches a key, and must chart records sent after it went live (so they reached it through
 * the Server-Sent Events stream, not the history query) and rank the stream's keys. Leaves a
 * screenshot in the e2e log folder. Needs Debian's chromium and chromium-driver: disabled without
 * them, except under CI=true, where their absence is a broken machine and fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "chromiumInstalledOrRequired",
        disabledReason = "Chromium or chromedriver is missing: apt-get install chromium chromium-driver to run the live view's browser test")
class LiveViewBrowserIntegrationTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("batchmesh.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("batchmesh.chromedriver", "/usr/bin/chromedriver"));
    private static final String STREAM = "web.latency";
    private static final String WATCHED = "checkout";
    private static final int WATCHED_RECORDS = 90;
    private static final String OTHER = "search";
    private static final int OTHER_RECORDS = 20;
    private static final long WINDOW = 10_000;
    private static final Duration PAGE_WAIT = Duration.ofSeconds(60);
    /** The count chart's bar colour (live.js), found on its canvas only where a bar is drawn. */
    private static final int[] BAR_RGB = {0x22, 0x61, 0xc4};

    private EmbeddedKafkaKraftBroker broker;
    private PipelineCluster cluster;
    private GatewayClient client;
    private ChromeDriver browser;
    private Path logDir;
    private boolean failed = true;

    @BeforeAll
    void startSuiteAndBrowser() throws Exception {
        requireChromium();
        logDir = Path.of(System.getProperty("batchmesh.e2e.logs", "target/e2e-logs")).resolve(getClass().getSimpleName());
        Files.createDirectories(logDir);
        broker = EmbeddedBroker.startTransactional();
        PipelineCluster.createTopics(broker.getBrokersAsString());
        cluster = new PipelineCluster(broker.getBrokersAsString(), Files.createTempDirectory("batchmesh-live-view"), logDir);
        cluster.start();
        client = new GatewayClient(cluster.gateway(), OpenApiContract.load());
        browser = startBrowser();
    }

    static boolean chromiumInstalledOrRequired() {
        return chromiumInstalled() || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Reached without Chromium only under CI=true, where .ci/run installs it: a machine without it is broken. */
    private static void requireChromium() {
        if (!chromiumInstalled()) {
            fail(CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/run installs chromium and chromium-driver,"
                    + " so under CI=true the browser test must run");
        }
    }

    private ChromeDriver startBrowser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logDir.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--no-default-browser-check");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    @AfterAll
    void stopSuiteAndBrowser() throws Exception {
        try {
            if (browser != null) {
                if (failed) {
                    screenshot("live-view-failure.png");
                }
                browser.quit();
            }
            if (failed && cluster != null) {
                System.err.println("Service logs after a failure:" + cluster.logTails(60));
            }
        } finally {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                if (broker != null) {
                    broker.destroy();
                }
            }
        }
    }

    @Test
    @Order(1)
    void shouldShowTheApisAnswerWhenTheApiKeyIsWrong() {
        failed = true;
        watch("not-a-key", WATCHED);

        await().atMost(PAGE_WAIT).untilAsserted(() -> {
            assertThat(status().getAttribute("data-state")).isEqualTo("error");
            assertThat(status().getText()).contains("401");
        });
        assertThat(chartedRecords()).isZero();
        failed = false;
    }

    @Test
    @Order(2)
    void shouldChartRecordsSentWhileThePageIsLiveAndRankTheStreamsKeys() throws Exception {
        failed = true;
        watch(PipelineCluster.DEV_KEY, WATCHED);
        await().atMost(PAGE_WAIT).untilAsserted(() -> assertThat(status().getAttribute("data-state"))
                .as("status: %s", status().getText()).isEqualTo("live"));
        assertThat(chartedRecords()).as("nothing was sent yet").isZero();

        for (String body : bodies()) {
            Answer answer = client.ingest(PipelineCluster.DEV_KEY, STREAM, "application/x-ndjson", body);
            assertThat(answer.status()).as("%s", answer.body()).isEqualTo(202);
        }

        await().atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(chartedRecords()).as("records charted for %s", WATCHED).isEqualTo(WATCHED_RECORDS));
        assertThat(Integer.parseInt(countChart().getAttribute("data-windows"))).isBetween(1, 3);
        await().atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(topKeys()).containsExactly(WATCHED + " " + WATCHED_RECORDS, OTHER + " " + OTHER_RECORDS));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(barPixels()).as("pixels of the bar colour on the count chart").isPositive());
        assertThat(status().getAttribute("data-state")).isEqualTo("live");
        assertThat(severeBrowserMessages()).as("errors in the browser console, CSP violations included").isEmpty();
        screenshot("live-view.png");
        failed = false;
    }

    private void watch(String apiKey, String key) {
        browser.get(cluster.gateway().resolve("/live/").toString());
        type("api-key", apiKey);
        type("stream", STREAM);
        type("key", key);
        new Select(browser.findElement(By.id("history"))).selectByValue("5");
        browser.findElement(By.id("watch-button")).click();
    }

    private void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private WebElement status() {
        return browser.findElement(By.id("status"));
    }

    private WebElement countChart() {
        return browser.findElement(By.id("chart-count"));
    }

    /** The records summed over the windows the count chart was last drawn from. */
    private int chartedRecords() {
        return Integer.parseInt(countChart().getAttribute("data-records"));
    }

    private List<String> topKeys() {
        List<String> rows = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#top-keys tbody tr"))) {
            rows.add(row.getText().replaceAll("\\s+", " ").replace(",", "").trim());
        }
        return rows;
    }

    private long barPixels() {
        Object count = ((JavascriptExecutor) browser).executeScript("""
                const canvas = document.querySelector('#chart-count canvas');
                if (!canvas || canvas.width === 0) return 0;
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let n = 0;
                for (let i = 0; i < pixels.length; i += 4) {
                  if (pixels[i + 3] > 0 && Math.abs(pixels[i] - arguments[0]) < 8
                      && Math.abs(pixels[i + 1] - arguments[1]) < 8 && Math.abs(pixels[i + 2] - arguments[2]) < 8) n++;
                }
                return n;
                """, BAR_RGB[0], BAR_RGB[1], BAR_RGB[2]);
        return ((Number) count).longValue();
    }

    private List<String> severeBrowserMessages() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // the first test's wrong key is answered 401 on purpose
                .filter(message -> !message.contains("401"))
                .toList();
    }

    /** NDJSON bodies: the watched key over the current and the two previous windows, and another key. */
    private static List<String> bodies() {
        SplittableRandom random = new SplittableRandom(7);
        long now = System.currentTimeMillis();
        long firstWindow = Math.floorDiv(now, WINDOW) * WINDOW - 2 * WINDOW;
        List<String> bodies = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < WATCHED_RECORDS / 3; i++) {
                long ts = Math.min(now, firstWindow + part * WINDOW + random.nextLong(WINDOW));
                body.append(record(WATCHED, 20 + random.nextDouble() * 10 + (i % 10 == 0 ? 60 : 0), ts));
            }
            bodies.add(body.toString());
        }
        StringBuilder other = new StringBuilder();
        for (int i = 0; i < OTHER_RECORDS; i++) {
            other.append(record(OTHER, 3 + random.nextDouble(), now - random.nextLong(WINDOW)));
        }
        bodies.add(other.toString());
        return bodies;
    }

    private static String record(String key, double value, long ts) {
        return "{\"key\":\"" + key + "\",\"value\":" + value + ",\"ts\":" + ts + "}\n";
    }

    private void screenshot(String name) {
        try {
            File shot = browser.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), logDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("Screenshot of the live view: " + logDir.resolve(name).toAbsolutePath());
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("No screenshot: " + e);
        }
    }
}
