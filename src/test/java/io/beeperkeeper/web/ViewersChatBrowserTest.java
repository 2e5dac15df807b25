package io.beeperkeeper.web;

import io.beeperkeeper.viewers.IdentityResolvers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * viewers.js and chat.js in headless Chromium, served by the hub's web pieces in cloudflare-access
 * mode ({@link ViewersTestStack}). Two browsers play Cloudflare's edge by adding alice's and bob's
 * signed Cf-Access-Jwt-Assertion to every request; they must see each other in "Who's viewing",
 * exchange a message within a second, and show a hostile message as text, with no dialog.
 */
class ViewersChatBrowserTest {
    @TempDir
    static Path dir;
    static ViewersTestStack hub;

    @BeforeAll
    static void start() throws Exception {
        hub = new ViewersTestStack(dir.resolve("data"), Map.of());
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void twoSignedInVisitorsSeeEachOtherAndChatAsText() throws Exception {
        try (TwoVisitors v = new TwoVisitors(
                Map.of(IdentityResolvers.ACCESS_HEADER, hub.team.token("alice@example.com")),
                Map.of(IdentityResolvers.ACCESS_HEADER, hub.team.token("bob@example.com")))) {
            v.open(hub.pageUrl());
            TwoVisitors.waitForViewers(v.alice, Duration.ofSeconds(10), "alice", "bob");
            TwoVisitors.waitForViewers(v.bob, Duration.ofSeconds(10), "alice", "bob");
            TwoVisitors.watchChat(v.alice);
            TwoVisitors.watchChat(v.bob);

            String hello = "Hello from the coop 🐔";
            long sent = TwoVisitors.typeAndEnter(v.alice, hello);
            new WebDriverWait(v.bob.driver(), Duration.ofSeconds(1)).until(d -> TwoVisitors.shownAt(v.bob, hello) > 0);
            assertThat(TwoVisitors.shownAt(v.bob, hello) - sent).isLessThan(1000);
            assertThat(v.alice.driver().findElement(By.cssSelector("#chat input.chat-input")).getAttribute("value"))
                    .as("the input is cleared after sending").isEmpty();

            String hostile = "<img src=x onerror=alert(1)>";
            TwoVisitors.typeAndEnter(v.bob, hostile);
            new WebDriverWait(v.alice.driver(), Duration.ofSeconds(1)).until(d -> TwoVisitors.shownAt(v.alice, hostile) > 0);
            var messages = v.alice.driver().findElements(By.cssSelector("#chat .chat-message"));
            var last = messages.get(messages.size() - 1);
            assertThat(last.findElement(By.cssSelector(".chat-user")).getText()).isEqualTo("bob");
            assertThat(last.findElement(By.cssSelector(".chat-text")).getText()).isEqualTo(hostile);
            assertThat(v.alice.driver().findElements(By.cssSelector("#chat img"))).isEmpty();
            Thread.sleep(300);
            for (HeadlessChromium b : new HeadlessChromium[]{v.alice, v.bob}) {
                assertThatThrownBy(() -> b.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
                assertThat(b.consoleErrors()).isEmpty();
            }
        }
    }
}
