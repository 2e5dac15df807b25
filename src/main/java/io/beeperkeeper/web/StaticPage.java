package io.beeperkeeper.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The page's own files (HTML, scripts, styles, icons) from the classpath folder {@code /web}, read with
 * {@code getResourceAsStream}: Jetty's static-file handler opens the whole jar as a zip file system
 * (tens of thousands of index entries, about 25 MB of heap) to serve half a megabyte of files. Each file
 * carries a strong ETag (a hash of its bytes, the same for every start of the same jar), so a browser
 * that comes back revalidates and gets 304 without the bytes; HEAD answers the headers only. Registered
 * after every other route, so it only sees paths nobody else answers; what it does not have is the
 * hub's usual 404.
 */
public final class StaticPage implements WebModule {
    /** Names the page uses: no {@code ..}, no empty segment, no backslash, so nothing outside the folder. */
    private static final Pattern SAFE = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json; charset=utf-8"),
            Map.entry("png", "image/png"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"));
    private static final String PLAIN = "text/plain; charset=utf-8";

    private final String folder;
    private final ClassLoader loader;
    /** ETag of each file served so far (the page has a few dozen). */
    private final Map<String, String> etags = new ConcurrentHashMap<>();

    /** @param folder the classpath folder, such as {@code /web} */
    public StaticPage(String folder, ClassLoader loader) {
        this.folder = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        this.loader = loader;
    }

    public static StaticPage page() {
        return new StaticPage("/web", StaticPage.class.getClassLoader());
    }

    @Override
    public void register(RoutesConfig app) {
        app.get("/*", this::serve);
        app.head("/*", this::serve);
    }

    private void serve(Context ctx) {
        String path = ctx.path();
        if (path.endsWith("/")) {
            path = path + "index.html";
        }
        if (!SAFE.matcher(path).matches() || !isFileName(path.substring(path.lastIndexOf('/') + 1))) {
            throw new NotFoundResponse();
        }
        String name = path;
        byte[] body = null;
        String etag = etags.get(name);
        if (etag == null) {
            body = read(name).orElseThrow(NotFoundResponse::new);
            etag = etagOf(body);
            etags.put(name, etag);
        }
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(type(name));
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        if (body == null) {
            body = read(name).orElseThrow(NotFoundResponse::new);
        }
        if ("HEAD".equals(ctx.method().name())) {
            ctx.header("Content-Length", Integer.toString(body.length));
            return;
        }
        ctx.result(body);
    }

    private Optional<byte[]> read(String name) {
        String resource = (folder + name).substring(1);
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page's file " + resource, e);
        }
    }

    /** A file has an extension, or is a vendored library's LICENSE or README; anything else is a folder. */
    private static boolean isFileName(String last) {
        return last.contains(".") || last.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    static String type(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < name.lastIndexOf('/')) {
            return PLAIN;
        }
        return TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    private static String etagOf(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
