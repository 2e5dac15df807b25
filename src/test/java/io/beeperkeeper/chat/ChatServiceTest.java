package io.beeperkeeper.chat;

import io.beeperkeeper.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Chat rules, rate limit and persistence, against a real SQLite file. */
class ChatServiceTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
    final List<ChatMessage> pushed = new ArrayList<>();
    ChatStore store;

    ChatService open(int historyLimit) {
        store = new ChatStore(dir.resolve("data/beeper.db"), historyLimit);
        return new ChatService(store, new ChatRateLimiter(clock, 5, Duration.ofSeconds(10)), clock, pushed::add);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void textIsTrimmedAndStrippedOfControlCharactersButKeepsUnicode() {
        assertThat(ChatText.clean("  hi\u0000 there\u0007\n\u001b[31m🐔 Grüße  ")).isEqualTo("hi there [31m🐔 Grüße");
        assertThat(ChatText.clean("\uD800x")).isEqualTo("x");
        assertThat(ChatText.clean("👩‍👩‍👧 عربى 中文")).isEqualTo("👩‍👩‍👧 عربى 中文");
    }

    @Test
    void invisibleOnlyMessagesAreRefused() {
        ChatService chat = open(1000);
        for (String invisible : new String[]{"\u200B", "\u200B\u200C\u200D", "\uFEFF\u2060", " \u200B \u00A0 \u3000 ",
                "\u2800\u3164", "\uFE0F\u034F", "\u202E\u200F", "\uDB40\uDC41\uDB40\uDC42"}) {
            assertThat(chat.send("alice", invisible)).as("U+%04X...", (int) invisible.codePointAt(0))
                    .isIn(new SendResult.Invalid("message has no visible characters"), new SendResult.Invalid("message is empty"));
        }
        assertThat(pushed).isEmpty();
        assertThat(chat.send("alice", "hi\u200B")).isInstanceOf(SendResult.Sent.class);
        assertThat(chat.send("alice", "👩‍👩‍👧")).as("an emoji sequence joined by ZWJ is visible").isInstanceOf(SendResult.Sent.class);
    }

    @Test
    void bidiOverridesAreStripped() {
        // "txt.exe" dressed up as "exe.txt" by a right-to-left override, and isolates that would spill into the next line
        assertThat(ChatText.clean("invoice\u202Etxt.exe")).isEqualTo("invoicetxt.exe");
        assertThat(ChatText.clean("\u202A\u202B\u202C\u202D\u202Ehello\u2066\u2067\u2068\u2069")).isEqualTo("hello");
        // Arabic and Hebrew themselves, and the plain direction marks, stay
        assertThat(ChatText.clean("שלום \u200Fعربى")).isEqualTo("שלום \u200Fعربى");
        ChatService chat = open(1000);
        SendResult r = chat.send("alice", "\u202Eevil");
        assertThat(r).isInstanceOf(SendResult.Sent.class);
        assertThat(((SendResult.Sent) r).message().message()).isEqualTo("evil");
    }

    @Test
    void lengthIsOneToFiveHundredCharactersAfterTrimming() {
        ChatService chat = open(1000);
        assertThat(chat.send("alice", "   \u0001 ")).isEqualTo(new SendResult.Invalid("message is empty"));
        assertThat(chat.send("alice", null)).isInstanceOf(SendResult.Invalid.class);
        assertThat(chat.send("alice", "x".repeat(501))).isInstanceOf(SendResult.Invalid.class);
        assertThat(chat.send("alice", "  " + "x".repeat(500) + "  ")).isInstanceOf(SendResult.Sent.class);
        assertThat(chat.send("alice", "🐔".repeat(500))).as("500 emoji are 500 characters").isInstanceOf(SendResult.Sent.class);
        assertThat(chat.send("alice", "a")).isInstanceOf(SendResult.Sent.class);
        assertThat(pushed).hasSize(3);
    }

    @Test
    void eachUserMaySendFiveMessagesPerTenSeconds() {
        ChatService chat = open(1000);
        for (int i = 0; i < 5; i++) {
            assertThat(chat.send("alice", "m" + i)).isInstanceOf(SendResult.Sent.class);
            clock.advance(Duration.ofSeconds(1));
        }
        SendResult limited = chat.send("alice", "too many");
        assertThat(limited).isEqualTo(new SendResult.RateLimited(Duration.ofSeconds(5)));
        assertThat(chat.send("bob", "other users are not limited")).isInstanceOf(SendResult.Sent.class);
        clock.advance(Duration.ofSeconds(5));
        assertThat(chat.send("alice", "again")).isInstanceOf(SendResult.Sent.class);
        assertThat(chat.messages(0)).extracting(ChatMessage::message).doesNotContain("too many");
    }

    @Test
    void lastFiftyAndSince() {
        ChatService chat = open(1000);
        for (int i = 1; i <= 60; i++) {
            chat.send("user" + (i % 20), "m" + i);
        }
        List<ChatMessage> last = chat.messages(0);
        assertThat(last).hasSize(50);
        assertThat(last.get(0).message()).isEqualTo("m11");
        assertThat(last.get(49).message()).isEqualTo("m60");
        assertThat(last.get(49).timestamp()).isEqualTo(clock.instant().getEpochSecond());
        long id58 = last.get(47).id();
        assertThat(chat.messages(id58)).extracting(ChatMessage::message).containsExactly("m59", "m60");
    }

    @Test
    void historySurvivesARestartAndIsCapped() {
        ChatService chat = open(60);
        for (int i = 1; i <= 100; i++) {
            chat.send("user" + (i % 30), "m" + i);
        }
        assertThat(store.count()).isEqualTo(60);
        store.close();

        ChatService reopened = open(60);
        List<ChatMessage> after = reopened.messages(0);
        assertThat(after).hasSize(50);
        assertThat(after.get(49).message()).isEqualTo("m100");
        long lastId = after.get(49).id();
        reopened.send("alice", "after restart");
        assertThat(reopened.messages(lastId)).singleElement()
                .satisfies(m -> assertThat(m.id()).isGreaterThan(lastId));
    }
}
