package io.beeperkeeper.web;

import io.beeperkeeper.config.WebConfig;
import io.beeperkeeper.feature.Json;
import io.javalin.http.BadRequestResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal of the web layer has one shape: the right status and {@code {"error": "..."}}. */
class ErrorAnswersTest {
    WebServer web;
    LiveEvents events;

    @AfterEach
    void stop() {
        web.close();
        events.close();
    }

    @Test
    void refusalsUnknownEndpointsJavalinsOwnAndFailuresAnswerJsonErrors() throws Exception {
        events = new LiveEvents(Json.newMapper());
        WebModule module = app -> {
            app.get("/api/test/bad", ctx -> {
                throw new BadRequestResponse("send a number");
            });
            app.get("/api/test/boom", ctx -> {
                throw new IllegalStateException("disk on fire");
            });
        };
        web = new WebServer(new WebConfig("127.0.0.1", 0, ""), Json.newMapper(), events, List.of(module));
        web.start();
        String host = "\r\nHost: 127.0.0.1:" + web.port();
        RawHttp.Answer bad = RawHttp.send(web.port(), "GET /api/test/bad HTTP/1.1" + host, "");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).endsWith("{\"error\":\"send a number\"}");
        RawHttp.Answer boom = RawHttp.send(web.port(), "GET /api/test/boom HTTP/1.1" + host, "");
        assertThat(boom.status()).isEqualTo(500);
        assertThat(boom.text()).endsWith("{\"error\":\"internal error: IllegalStateException\"}").doesNotContain("disk on fire");
        RawHttp.Answer missing = RawHttp.send(web.port(), "GET /api/nowhere HTTP/1.1" + host, "");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).endsWith("{\"error\":\"no such API endpoint: GET /api/nowhere\"}");
        RawHttp.Answer refused = RawHttp.send(web.port(), "POST /api/test/bad HTTP/1.1" + host + "\r\nOrigin: http://evil.example"
                + "\r\nContent-Type: application/json", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text()).contains("{\"error\":\"cross-origin request refused");
    }
}
