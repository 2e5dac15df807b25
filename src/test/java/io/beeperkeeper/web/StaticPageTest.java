package io.beeperkeeper.web;

import io.beeperkeeper.config.WebConfig;
import io.beeperkeeper.feature.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's files as the hub serves them: the right content type, the same bytes as in the jar, the
 * security headers, ETag revalidation (304), HEAD, and 404 for folders, missing files and paths that
 * try to leave the folder; routes of the modules still win over the files.
 */
class StaticPageTest {
    WebServer web;
    LiveEvents events;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        events = new LiveEvents(Json.newMapper());
        WebModule module = app -> app.get("/api/test/hello", ctx -> ctx.result("hello"));
        web = new WebServer(new WebConfig("127.0.0.1", 0, ""), Json.newMapper(), events, List.of(module));
        web.start();
    }

    @AfterEach
    void stop() {
        web.close();
        events.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A content type as compared here: Jetty writes some with a space before the charset, some without. */
    private static String normal(String contentType) {
        return contentType.replace(" ", "");
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = StaticPageTest.class.getResourceAsStream("/web/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void servesThePageItsScriptsStylesIconsAndManifestWithTheirTypes() throws Exception {
        HttpResponse<byte[]> root = send("GET", "/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type").map(StaticPageTest::normal)).hasValue("text/html;charset=utf-8");
        assertThat(root.body()).isEqualTo(resource("index.html"));
        assertThat(root.headers().firstValue("Content-Security-Policy")).hasValue(SecurityHeaders.CSP);
        assertThat(root.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        assertThat(send("GET", "/index.html").body()).isEqualTo(resource("index.html"));
        assertThat(send("GET", "/app.js").headers().firstValue("Content-Type").map(StaticPageTest::normal)).hasValue("text/javascript;charset=utf-8");
        assertThat(send("GET", "/js/video.js").body()).isEqualTo(resource("js/video.js"));
        assertThat(send("GET", "/vendor/hls/hls.light.min.mjs").headers().firstValue("Content-Type").map(StaticPageTest::normal)).hasValue("text/javascript;charset=utf-8");
        assertThat(send("GET", "/css/video.css").headers().firstValue("Content-Type").map(StaticPageTest::normal)).hasValue("text/css;charset=utf-8");
        assertThat(send("GET", "/manifest.json").headers().firstValue("Content-Type").map(StaticPageTest::normal)).hasValue("application/json;charset=utf-8");
        HttpResponse<byte[]> icon = send("GET", "/icons/icon-192.png");
        assertThat(icon.headers().firstValue("Content-Type").map(StaticPageTest::normal)).hasValue("image/png");
        assertThat(icon.body()).isEqualTo(resource("icons/icon-192.png"));
        assertThat(send("GET", "/vendor/hls/LICENSE").statusCode()).isEqualTo(200);
        assertThat(new String(send("GET", "/api/test/hello").body())).isEqualTo("hello");
    }

    @Test
    void aBrowserThatComesBackRevalidatesWithTheEtagAndHeadSendsNoBody() throws Exception {
        HttpResponse<byte[]> first = send("GET", "/app.css");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");

        HttpResponse<byte[]> again = send("GET", "/app.css", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(send("GET", "/app.css", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> head = send("HEAD", "/app.css");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
        assertThat(head.headers().firstValue("Content-Type").map(StaticPageTest::normal)).hasValue("text/css;charset=utf-8");
    }

    @Test
    void foldersMissingFilesAndPathsOutOfTheFolderAreNotFound() throws Exception {
        assertThat(send("GET", "/nothing.js").statusCode()).isEqualTo(404);
        assertThat(new String(send("GET", "/nothing.js").body())).contains("no such page: /nothing.js");
        assertThat(send("GET", "/css").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/css/").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/..%2fbeeper.example.yaml").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/.%2e/logback.xml").statusCode()).isIn(400, 404);
        assertThat(send("GET", "/api/nowhere").statusCode()).isEqualTo(404);
        assertThat(new String(send("GET", "/api/nowhere").body())).contains("no such API endpoint");
    }
}
