package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who is watching: how a visitor's identity is established ({@code identity}), which reverse
 * proxies may tell us the client's address or user, which home networks may watch without signing
 * in, and the Cloudflare Access settings.
 *
 * @param identity         how visitors are identified (see {@link Identity})
 * @param trustedProxies   comma-separated IP addresses or CIDR blocks of reverse proxies whose
 *                         X-Forwarded-For / CF-Connecting-IP (and user header) are believed
 * @param localNetworks    comma-separated CIDR blocks (the home LAN, such as 192.168.1.0/24) whose
 *                         direct visitors are {@code local-<IP>} in cloudflare-access mode: no token,
 *                         no proxy headers; anything relayed by the tunnel still needs a valid token
 * @param proxyUserHeader  in trusted-proxy mode, the header carrying the user name
 * @param cloudflare       Cloudflare Access settings for identity cloudflare-access
 */
public record ViewersConfig(Identity identity, String trustedProxies, String localNetworks, String proxyUserHeader,
                            CloudflareConfig cloudflare) {
    private static final String ADDRESS_LIST = "[0-9A-Fa-f:.]+(/\\d{1,3})?";

    /** The ways of knowing who a visitor is, as written in {@code viewers.identity}. */
    public enum Identity {
        /** Everyone is {@code local-<client IP>}: no login, fine on a home LAN. */
        LOCAL("local"),
        /** A verified Cloudflare Access token (Cf-Access-Jwt-Assertion) on every request. */
        CLOUDFLARE_ACCESS("cloudflare-access"),
        /** A user header set by a reverse proxy the keeper runs. */
        TRUSTED_PROXY("trusted-proxy");

        private final String wireName;

        Identity(String wireName) {
            this.wireName = wireName;
        }

        /** The spelling in beeper.yaml. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Identity fromWire(String text) {
            return WireNames.parse("viewers.identity", text, values(), Identity::wireName);
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    public ViewersConfig {
        ConfigException.require(identity != null, "viewers.identity", null, "local, cloudflare-access or trusted-proxy");
        trustedProxies = addressList(trustedProxies, "viewers.trustedProxies", "comma-separated IP addresses or CIDR blocks, such as 127.0.0.1, 10.0.0.0/8");
        localNetworks = addressList(localNetworks, "viewers.localNetworks", "comma-separated CIDR blocks of your home network, such as 192.168.1.0/24, fd00::/8");
        proxyUserHeader = proxyUserHeader == null ? "" : proxyUserHeader.trim();
        ConfigException.require(proxyUserHeader.matches("[A-Za-z0-9-]{1,64}"), "viewers.proxyUserHeader", proxyUserHeader,
                "an HTTP header name such as X-Forwarded-User or Remote-User");
        ConfigException.require(cloudflare != null, "viewers.cloudflare", null, "a section with teamDomain, audience, certsUrl, allowLoopback");
        if (identity == Identity.CLOUDFLARE_ACCESS) {
            ConfigException.require(!cloudflare.teamDomain().isEmpty(), "viewers.cloudflare.teamDomain", cloudflare.teamDomain(),
                    "your Cloudflare Zero Trust team name (myteam or myteam.cloudflareaccess.com) when viewers.identity is cloudflare-access");
            ConfigException.require(!cloudflare.audience().isEmpty(), "viewers.cloudflare.audience", cloudflare.audience(),
                    "the Application Audience (AUD) tag of your Access application when viewers.identity is cloudflare-access");
        }
        if (identity == Identity.TRUSTED_PROXY) {
            ConfigException.require(!trustedProxies.isEmpty(), "viewers.trustedProxies", trustedProxies,
                    "the address of your reverse proxy (such as 127.0.0.1) when viewers.identity is trusted-proxy");
        }
    }

    public static ViewersConfig defaults() {
        return new ViewersConfig(Identity.LOCAL, "", "", "X-Forwarded-User", CloudflareConfig.defaults());
    }

    private static String addressList(String value, String key, String allowed) {
        String v = value == null ? "" : value.trim();
        for (String p : v.split(",")) {
            String s = p.trim();
            ConfigException.require(s.isEmpty() || s.matches(ADDRESS_LIST), key, v, allowed);
            if (s.contains("/")) {
                int bits = s.contains(":") ? 128 : 32;
                int prefix = Integer.parseInt(s.substring(s.indexOf('/') + 1));
                ConfigException.require(prefix <= bits, key, v, allowed + " (a prefix length of at most " + bits + ")");
            }
        }
        return v;
    }

    /**
     * Cloudflare Access: the team ({@code teamDomain}), the application's AUD tag, an optional JWKS
     * URL override and whether bare loopback requests (no proxy headers) count as {@code local-127.0.0.1}.
     */
    public record CloudflareConfig(String teamDomain, String audience, String certsUrl, boolean allowLoopback) {
        public CloudflareConfig {
            teamDomain = teamDomain == null ? "" : teamDomain.trim();
            audience = audience == null ? "" : audience.trim();
            certsUrl = certsUrl == null ? "" : certsUrl.trim();
            ConfigException.require(teamDomain.isEmpty() || teamDomain.matches("(https://)?[A-Za-z0-9-]+(\\.cloudflareaccess\\.com)?/?"),
                    "viewers.cloudflare.teamDomain", teamDomain, "a team name such as myteam or myteam.cloudflareaccess.com");
            ConfigException.require(certsUrl.isEmpty() || certsUrl.matches("https?://\\S+"), "viewers.cloudflare.certsUrl", certsUrl,
                    "an http(s) URL of a JWKS, or empty for https://<team>.cloudflareaccess.com/cdn-cgi/access/certs");
        }

        public static CloudflareConfig defaults() {
            return new CloudflareConfig("", "", "", false);
        }

        /** The team URL, which is also the tokens' issuer: https://myteam.cloudflareaccess.com */
        public String teamUrl() {
            String t = teamDomain.replaceFirst("^https://", "").replaceFirst("/$", "");
            return "https://" + (t.endsWith(".cloudflareaccess.com") ? t : t + ".cloudflareaccess.com");
        }

        public String effectiveCertsUrl() {
            return certsUrl.isEmpty() ? teamUrl() + "/cdn-cgi/access/certs" : certsUrl;
        }
    }
}
