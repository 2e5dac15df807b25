package io.beeperkeeper.cli;

import io.beeperkeeper.Ports;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A caching proxy in front of the hub, standing in for a CDN's cache: Debian's nginx with
 * {@code proxy_cache} and request coalescing ({@code proxy_cache_lock}). {@code beeper bench glass}
 * plays its {@code cdn} row through it, and {@code LlHlsCachingProxyTest} counts through it what many
 * viewers cost the hub: LL-HLS parts, segments and blocking playlist reloads answered from the cache.
 * Each request's line in {@code access.log} names the upstream address when it reached the hub.
 */
public final class CachingProxy implements AutoCloseable {
    private final Process nginx;
    private final int port;
    private final Path accessLog;

    private CachingProxy(Process nginx, int port, Path accessLog) {
        this.nginx = nginx;
        this.port = port;
        this.accessLog = accessLog;
    }

    /** Starts nginx on a free loopback port in front of the hub at {@code hubPort}, its files under {@code dir}. */
    public static CachingProxy start(Path dir, int hubPort) throws IOException, InterruptedException {
        String binary = List.of("/usr/sbin/nginx", "/usr/bin/nginx").stream().filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElseThrow(() -> new IOException("nginx not found (the caching proxy of the cdn row): "
                        + "install it with sudo apt-get install nginx-light, or leave cdn out of --protocols"));
        int port = Ports.freePort();
        Files.createDirectories(dir.resolve("logs"));
        String conf = (System.getProperty("user.name").equals("root") ? "user root;\n" : "") + """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 512; }
                http {
                    log_format hub '$upstream_addr $upstream_cache_status "$request" $status';
                    access_log %1$s/access.log hub;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    proxy_cache_path %1$s/cache levels=1:2 keys_zone=hls:4m max_size=64m inactive=60s use_temp_path=off;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_read_timeout 10s;
                            proxy_cache hls;
                            proxy_cache_lock on;
                            proxy_cache_lock_timeout 10s;
                            proxy_cache_lock_age 10s;
                        }
                    }
                }
                """.formatted(dir.toAbsolutePath(), port, hubPort);
        Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(binary, "-p", dir.toAbsolutePath().toString(), "-c", confFile.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        CachingProxy proxy = new CachingProxy(p, port, dir.resolve("access.log"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/api/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() < 500) {
                    return proxy;
                }
            } catch (IOException notYet) {
                // nginx is still starting
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                proxy.close();
                throw new IOException("nginx did not start as a caching proxy on port " + port + "; see " + dir.resolve("error.log"));
            }
            Thread.sleep(200);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Requests so far that the proxy passed on to the hub (a cache miss, or one it may not cache); nginx
     * logs a request when it is answered, so count after the requests of interest have finished.
     */
    public long upstreamRequests() throws IOException {
        if (!Files.exists(accessLog)) {
            return 0;
        }
        try (var lines = Files.lines(accessLog)) {
            return lines.filter(l -> !l.isBlank() && !l.startsWith("-")).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        nginx.destroy(); // SIGTERM: nginx's fast shutdown, workers included
        if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
            nginx.destroyForcibly();
        }
    }
}
