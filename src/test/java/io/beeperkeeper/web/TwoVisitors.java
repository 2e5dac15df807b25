package io.beeperkeeper.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two browsers signed in as different people (alice and bob) on one hub page, with the helpers
 * the page test and the latency bench share: who-is-viewing names, sending, and timing how long a
 * message takes from send in one browser to display in the other.
 */
public final class TwoVisitors implements AutoCloseable {
    public final HeadlessChromium alice;
    public final HeadlessChromium bob;

    private final Map<String, String> aliceHeaders;
    private final Map<String, String> bobHeaders;
    private final List<AccessEdge> edges = new java.util.ArrayList<>();

    /**
     * @param aliceHeaders what the edge adds to each of alice's requests (her Access token); empty for
     *                     a visitor who reaches the hub directly
     */
    public TwoVisitors(Map<String, String> aliceHeaders, Map<String, String> bobHeaders) {
        this.aliceHeaders = aliceHeaders;
        this.bobHeaders = bobHeaders;
        HeadlessChromium a = new HeadlessChromium(Map.of());
        HeadlessChromium b;
        try {
            b = new HeadlessChromium(Map.of());
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        alice = a;
        bob = b;
    }

    /** Opens the hub's page at {@code url} in both browsers, each through its own edge when it has headers. */
    public void open(String url) {
        alice.driver().get(through(url, aliceHeaders));
        bob.driver().get(through(url, bobHeaders));
    }

    private String through(String url, Map<String, String> headers) {
        if (headers.isEmpty()) {
            return url;
        }
        java.net.URI u = java.net.URI.create(url);
        try {
            AccessEdge edge = new AccessEdge(u.getPort(), headers);
            edges.add(edge);
            return edge.base() + u.getPath().substring(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Names listed in the browser's "Who's viewing". */
    @SuppressWarnings("unchecked")
    public static List<String> viewers(HeadlessChromium browser) {
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript(
                "return Array.from(document.querySelectorAll('#viewers li[data-name]')).map(li => li.dataset.name);");
    }

    public static void waitForViewers(HeadlessChromium browser, Duration timeout, String... names) {
        new WebDriverWait(browser.driver(), timeout).until(d -> viewers(browser).containsAll(List.of(names)));
    }

    /** Records, in the page, the time each chat text first appears (Date.now(), same clock for both browsers). */
    public static void watchChat(HeadlessChromium browser) {
        ((JavascriptExecutor) browser.driver()).executeScript("""
                window.__shown = {};
                const log = document.querySelector('#chat .chat-log');
                new MutationObserver(() => {
                  const now = Date.now();
                  for (const t of log.querySelectorAll('.chat-text')) {
                    if (!(t.textContent in window.__shown)) { window.__shown[t.textContent] = now; }
                  }
                }).observe(log, { childList: true, subtree: true });
                """);
    }

    /** Types the text and presses Enter, as a person would; returns Date.now() in the page just before. */
    public static long typeAndEnter(HeadlessChromium browser, String text) {
        var input = browser.driver().findElement(By.cssSelector("#chat input.chat-input"));
        input.clear();
        typeInto(browser, input, text);
        long t0 = ((Number) ((JavascriptExecutor) browser.driver()).executeScript("return Date.now();")).longValue();
        input.sendKeys(org.openqa.selenium.Keys.ENTER);
        return t0;
    }

    /**
     * Types like a keyboard; characters outside the Basic Multilingual Plane (emoji), which some
     * ChromeDriver versions refuse in sendKeys, go in as text input the way an on-screen keyboard
     * or IME enters them (CDP Input.insertText: real input events on the focused field).
     */
    static void typeInto(HeadlessChromium browser, org.openqa.selenium.WebElement input, String text) {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isBmpCodePoint(cp)) {
                keys.appendCodePoint(cp);
            } else {
                if (keys.length() > 0) {
                    input.sendKeys(keys);
                    keys.setLength(0);
                }
                input.click();
                browser.driver().executeCdpCommand("Input.insertText", java.util.Map.of("text", Character.toString(cp)));
            }
            i += Character.charCount(cp);
        }
        if (keys.length() > 0) {
            input.sendKeys(keys);
        }
    }

    /** Submits through the form at a known instant (for timing); returns that instant (Date.now() in the page). */
    public static long sendTimed(HeadlessChromium browser, String text) {
        return ((Number) ((JavascriptExecutor) browser.driver()).executeScript("""
                const input = document.querySelector('#chat input.chat-input');
                input.value = arguments[0];
                const t0 = Date.now();
                input.form.requestSubmit();
                return t0;
                """, text)).longValue();
    }

    /** When the text was first shown in the browser (Date.now()), or -1 if not yet. */
    public static long shownAt(HeadlessChromium browser, String text) {
        Object v = ((JavascriptExecutor) browser.driver()).executeScript("return window.__shown[arguments[0]] ?? -1;", text);
        return ((Number) v).longValue();
    }

    @Override
    public void close() {
        for (AccessEdge e : edges) {
            try {
                e.close();
            } catch (java.io.IOException ignored) {
                // closing a loopback listener
            }
        }
        try {
            alice.close();
        } finally {
            bob.close();
        }
    }
}
