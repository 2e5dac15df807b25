package io.beeperkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A headless Chromium driven through Debian's {@code chromedriver} with the W3C WebDriver protocol, for
 * {@code beeper bench glass}. Hand-written on the JDK's HTTP client and the hub's Jackson because the
 * bench needs five WebDriver calls, and Selenium would add Guava, Byte Buddy, OpenTelemetry and its
 * 11 MB driver manager to the jar every Pi runs.
 */
final class WebDriverClient implements AutoCloseable {
    /** Headless flags that work here as root (FIELD-NOTES), loopback WebRTC allowed. */
    static final List<String> CHROMIUM_FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--autoplay-policy=no-user-gesture-required", "--allow-loopback-in-peer-connection", "--mute-audio",
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--window-size=1600,1200");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Process driver;
    private final Path profile;
    private final String base;
    private final String session;

    private WebDriverClient(Process driver, Path profile, String base) throws IOException, InterruptedException {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
        ObjectNode caps = json.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", "/usr/bin/chromium");
        List<String> args = new ArrayList<>(CHROMIUM_FLAGS);
        args.add("--user-data-dir=" + profile);
        args.forEach(chrome.putArray("args")::add);
        session = call("POST", "/session", caps).get("sessionId").asText();
    }

    /**
     * Starts chromedriver on a free loopback port and a fresh browser profile.
     *
     * @param chromedriver path of the driver ({@code /usr/bin/chromedriver}, Debian's chromium-driver)
     */
    static WebDriverClient start(String chromedriver) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(chromedriver))) {
            throw new IOException(chromedriver + " not found: install Chromium and its driver with "
                    + "sudo apt-get install chromium chromium-driver");
        }
        int port = io.beeperkeeper.Ports.freePort();
        Process p = new ProcessBuilder(chromedriver, "--port=" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient probe = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (probe.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // the driver is still starting
            }
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IOException("chromedriver did not start on port " + port);
            }
            Thread.sleep(100);
        }
        Path profile = Files.createTempDirectory("beeper-bench-chromium");
        try {
            return new WebDriverClient(p, profile, base);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    void open(String url) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("url", url);
        call("POST", "/session/" + session + "/url", body);
    }

    /** Runs {@code script} (a function body; {@code arguments} as in WebDriver) and returns its value. */
    JsonNode script(String script, Object... args) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("script", script);
        body.set("args", json.valueToTree(List.of(args)));
        return call("POST", "/session/" + session + "/execute/sync", body);
    }

    /**
     * A PNG of one rectangle of the page as the browser shows it now (CSS pixels), through Chromium's
     * DevTools {@code Page.captureScreenshot}: a small clip encoded for speed keeps the call short, so its
     * midpoint is close to the moment the picture was taken.
     */
    byte[] screenshot(double x, double y, double width, double height) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("cmd", "Page.captureScreenshot");
        ObjectNode params = body.putObject("params").put("format", "png").put("optimizeForSpeed", true)
                .put("captureBeyondViewport", false);
        params.putObject("clip").put("x", x).put("y", y).put("width", width).put("height", height).put("scale", 1);
        return Base64.getDecoder().decode(call("POST", "/session/" + session + "/goog/cdp/execute", body).path("data").asText());
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = json.readTree(r.body()).path("value");
        if (r.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " " + path + ": " + value.path("message").asText(r.body()));
        }
        return value;
    }

    @Override
    public void close() {
        try {
            call("DELETE", "/session/" + session, null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the browser is going away either way
        }
        driver.destroy();
        try {
            driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        driver.destroyForcibly();
        BenchMachine.deleteTree(profile);
    }
}
