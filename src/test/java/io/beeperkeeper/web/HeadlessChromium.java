package io.beeperkeeper.web;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * One headless Chromium (Debian's chromium + chromedriver) with its own profile, so two of them are
 * two independent visitors. Optionally every request it sends carries extra headers (set through
 * the DevTools protocol), which is how a test plays Cloudflare's edge adding Cf-Access-Jwt-Assertion.
 */
public final class HeadlessChromium implements AutoCloseable {
    private final Path profile;
    private final ChromeDriver driver;

    public HeadlessChromium(Map<String, String> extraHeaders) {
        try {
            profile = Files.createTempDirectory("beeper-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            driver = Browser.start("--window-size=1280,900", "--user-data-dir=" + profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!extraHeaders.isEmpty()) {
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", extraHeaders));
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Console messages at SEVERE level (errors) seen so far. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp profile is harmless
            }
        }
    }
}
