package io.beeperkeeper.web;

import io.beeperkeeper.chat.ChatRateLimiter;
import io.beeperkeeper.chat.ChatService;
import io.beeperkeeper.chat.ChatStore;
import io.beeperkeeper.config.WebConfig;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.viewers.ClientAddresses;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.Presence;
import io.beeperkeeper.web.chat.ChatWebModule;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.beeperkeeper.web.viewers.ViewersWebModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding against the whole web server: a page on evil.example whose name is re-pointed at
 * the hub sends {@code Host: evil.example} with a matching Origin, which the same-origin check alone
 * lets through. Every request for a foreign name is refused, page, API, SSE and WebSocket alike.
 */
class DnsRebindingTest {
    @TempDir
    Path dir;
    WebServer web;
    LiveEvents events;
    ChatStore store;
    int port;

    void start(String allowedHosts) {
        store = new ChatStore(dir.resolve("beeper.db"), 1000);
        Clock clock = Clock.systemUTC();
        ChatService chat = new ChatService(store, new ChatRateLimiter(clock, 50, Duration.ofSeconds(10)), clock, m -> { });
        IdentityGate gate = new IdentityGate(IdentityResolvers.local(ClientAddresses.parse("")), "");
        events = new LiveEvents(Json.newMapper());
        WebModule socket = app -> app.ws("/api/test/ws", ws -> ws.onConnect(ctx -> ctx.send("hello")));
        web = new WebServer(new WebConfig("127.0.0.1", 0, allowedHosts), Json.newMapper(), events,
                List.of(new ViewersWebModule(new Presence(clock, l -> { }), gate), new ChatWebModule(chat, gate), socket));
        web.start();
        port = web.port();
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
        if (events != null) {
            events.close();
        }
        if (store != null) {
            store.close();
        }
    }

    RawHttp.Answer chat(String host, String origin) throws Exception {
        return RawHttp.send(port, "POST /api/chat/send HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                + "\r\nContent-Type: application/json", "{\"message\":\"hello from " + host + "\"}");
    }

    RawHttp.Answer get(String path, String host, String... extraHeaders) throws Exception {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host);
        for (String h : extraHeaders) {
            head.append("\r\n").append(h);
        }
        return RawHttp.send(port, head.toString(), "");
    }

    static final String[] UPGRADE = {"Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"};

    @Test
    void aReboundPageCannotPostToTheChat() throws Exception {
        start("");
        RawHttp.Answer rebound = chat("evil.example", "http://evil.example");
        assertThat(rebound.status()).isEqualTo(421);
        assertThat(rebound.text()).contains("\"error\":\"this hub does not answer to the host name 'evil.example'")
                .contains("web.allowedHosts");
        assertThat(chat("evil.example:" + port, "http://evil.example:" + port).status()).isEqualTo(421);
        assertThat(chat("EVIL.example.", "http://EVIL.example.").status()).isEqualTo(421);
        assertThat(store.count()).isZero();
        // the hub's own page, by address or localhost, still chats
        assertThat(chat("127.0.0.1:" + port, "http://127.0.0.1:" + port).status()).isEqualTo(201);
        assertThat(chat("localhost:" + port, "http://localhost:" + port).status()).isEqualTo(201);
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void everyKindOfRequestForAForeignNameIsRefused() throws Exception {
        start("");
        assertThat(get("/", "evil.example").status()).isEqualTo(421);
        assertThat(get("/index.html", "evil.example").status()).isEqualTo(421);
        assertThat(get("/api/chat/messages", "evil.example").status()).isEqualTo(421);
        assertThat(get("/api/events", "evil.example", "Accept: text/event-stream").status()).isEqualTo(421);
        assertThat(get("/api/test/ws", "evil.example", UPGRADE).status()).isEqualTo(421);
        assertThat(get("/api/nowhere", "evil.example").status()).isEqualTo(421);
        // the same requests for the hub's own names pass
        assertThat(get("/", "127.0.0.1:" + port).status()).isEqualTo(200);
        assertThat(get("/api/events", "127.0.0.1:" + port, "Accept: text/event-stream").status()).isEqualTo(200);
        assertThat(get("/api/test/ws", "127.0.0.1:" + port, UPGRADE).status()).isEqualTo(101);
    }

    @Test
    void theMachinesOwnNamesAndAddressesAreAllowedByDefault() throws Exception {
        start("");
        String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        for (String host : List.of("localhost", "localhost:" + port, hostName, hostName + ":" + port, hostName + ".local",
                InetAddress.getLocalHost().getHostName(), "[::1]:" + port, "192.168.1.20:" + port, "10.0.0.7")) {
            assertThat(get("/api/chat/messages", host).status()).as(host).isEqualTo(200);
        }
        for (String host : List.of("coop.example.com", "localhost.evil.example", "192.168.1.20.nip.io", "[::1", "a:b:c")) {
            assertThat(get("/api/chat/messages", host).status()).as(host).isIn(400, 421);
        }
    }

    @Test
    void configuredNamesSuchAsTheTunnelsAreAllowed() throws Exception {
        start("coop.example.com, raspberrypi.fritz.box");
        assertThat(chat("coop.example.com", "https://coop.example.com").status()).isEqualTo(201);
        assertThat(get("/api/chat/messages", "raspberrypi.fritz.box:" + port).status()).isEqualTo(200);
        assertThat(get("/api/chat/messages", "localhost").status()).isEqualTo(200);
        assertThat(chat("evil.example", "http://evil.example").status()).isEqualTo(421);
    }

    @Test
    void aStarAnswersToAnyName() throws Exception {
        start("*");
        assertThat(get("/api/chat/messages", "anything.example").status()).isEqualTo(200);
    }
}
