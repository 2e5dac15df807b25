package io.beeperkeeper.media.rtsp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The login RTSP clients use (RFC 2617 as RTSP 1.0 clients speak it): Digest with MD5 and no qop,
 * which ffmpeg, live555 (VLC) and camera apps all answer, and Basic for clients that know nothing
 * else. Nonces are stateless (time and an HMAC under a key made at start), so no table of nonces
 * grows with the clients; one is good for a day. Netty's codec has no RTSP authentication, so this
 * small part is written here.
 */
final class RtspAuth {
    static final String REALM = "Beeper Keeper";
    private static final long NONCE_LIFETIME_MS = 24 * 3600_000L;

    private final String username;
    private final String password;
    private final byte[] key = new byte[32];

    RtspAuth(String username, String password) {
        this.username = username;
        this.password = password;
        new SecureRandom().nextBytes(key);
    }

    /** The challenges of a 401: Digest first (clients pick it over Basic), then Basic. */
    List<String> challenges(long nowMs) {
        return List.of("Digest realm=\"" + REALM + "\", nonce=\"" + nonce(nowMs) + "\"", "Basic realm=\"" + REALM + "\"");
    }

    /** Whether an {@code Authorization} header (or null) logs the request {@code method} in. */
    boolean accepts(String method, String authorization, long nowMs) {
        if (authorization == null) {
            return false;
        }
        String a = authorization.trim();
        if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
            byte[] given;
            try {
                given = Base64.getDecoder().decode(a.substring(6).trim());
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(given, (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        if (!a.regionMatches(true, 0, "Digest ", 0, 7)) {
            return false;
        }
        Map<String, String> p = params(a.substring(7));
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        if (nonce == null || uri == null || response == null || !validNonce(nonce, nowMs)
                || !username.equals(p.get("username")) || !REALM.equals(p.get("realm"))) {
            return false;
        }
        String ha1 = md5(username + ":" + REALM + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String expected = md5(ha1 + ":" + nonce + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    String nonce(long nowMs) {
        String time = Long.toHexString(nowMs);
        return time + mac(time);
    }

    private boolean validNonce(String nonce, long nowMs) {
        if (nonce.length() <= 32) {
            return false;
        }
        String time = nonce.substring(0, nonce.length() - 32);
        long issued;
        try {
            issued = Long.parseLong(time, 16);
        } catch (NumberFormatException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(time).getBytes(StandardCharsets.US_ASCII),
                nonce.substring(time.length()).getBytes(StandardCharsets.US_ASCII))
                && nowMs - issued >= -60_000 && nowMs - issued < NONCE_LIFETIME_MS;
    }

    private String mac(String text) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)), 0, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no HmacSHA256 in this JVM", e);
        }
    }

    /** The comma-separated {@code key=value} / {@code key="value"} pairs of a Digest header. */
    static Map<String, String> params(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < n && s.charAt(i) == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    break;
                }
                value = s.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = s.indexOf(',', i);
                end = end < 0 ? n : end;
                value = s.substring(i, end).trim();
                i = end;
            }
            out.putIfAbsent(name, value);
        }
        return out;
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }
}
