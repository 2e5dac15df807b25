package io.beeperkeeper.web;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.logging.Level;

/** Debian's headless Chromium driven through Debian's chromedriver, with the flags that work as root here. */
public final class Browser {
    private Browser() {
    }

    /** @param extraArgs more Chromium switches, e.g. --allow-loopback-in-peer-connection for WebRTC */
    public static ChromeDriver start(String... extraArgs) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required");
        options.addArguments(extraArgs);
        if (java.util.Arrays.stream(extraArgs).noneMatch(a -> a.startsWith("--user-data-dir="))) {
            options.addArguments("--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        }
        if (java.util.Arrays.stream(extraArgs).noneMatch(a -> a.startsWith("--window-size="))) {
            options.addArguments("--window-size=1280,1000");
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
