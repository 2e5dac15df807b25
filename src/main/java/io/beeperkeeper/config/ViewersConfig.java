package io.beeperkeeper.config;

import java.util.Set;

/**
 * Who is watching: how a visitor's identity is established ({@code identity}), which reverse
 * proxies may tell us the client's address or user, and the Cloudflare Access settings.
 *
 * @param identity         local (user {@code local-<client IP>}), cloudflare-access (verified
 *                         Cf-Access-Jwt-Assertion) or trusted-proxy (a user header set by a proxy)
 * @param trustedProxies   comma-separated IP addresses or CIDR blocks of reverse proxies whose
 *                         X-Forwarded-For / CF-Connecting-IP (and user header) are believed
 * @param proxyUserHeader  in trusted-proxy mode, the header carrying the user name
 * @param cloudflare       Cloudflare Access settings for identity cloudflare-access
 */
public record ViewersConfig(String identity, String trustedProxies, String proxyUserHeader, CloudflareConfig cloudflare) {
    private static final Set<String> MODES = Set.of("local", "cloudflare-access", "trusted-proxy");

    public ViewersConfig {
        ConfigException.require(identity != null && MODES.contains(identity), "viewers.identity", identity,
                "local, cloudflare-access or trusted-proxy");
        trustedProxies = trustedProxies == null ? "" : trustedProxies.trim();
        for (String p : trustedProxies.split(",")) {
            String s = p.trim();
            ConfigException.require(s.isEmpty() || s.matches("[0-9A-Fa-f:.]+(/\\d{1,3})?"), "viewers.trustedProxies", trustedProxies,
                    "comma-separated IP addresses or CIDR blocks, such as 127.0.0.1, 10.0.0.0/8");
        }
        proxyUserHeader = proxyUserHeader == null ? "" : proxyUserHeader.trim();
        ConfigException.require(proxyUserHeader.matches("[A-Za-z0-9-]{1,64}"), "viewers.proxyUserHeader", proxyUserHeader,
                "an HTTP header name such as X-Forwarded-User or Remote-User");
        ConfigException.require(cloudflare != null, "viewers.cloudflare", null, "a section with teamDomain, audience, certsUrl, allowLoopback");
        if ("cloudflare-access".equals(identity)) {
            ConfigException.require(!cloudflare.teamDomain().isEmpty(), "viewers.cloudflare.teamDomain", cloudflare.teamDomain(),
                    "your Cloudflare Zero Trust team name (myteam or myteam.cloudflareaccess.com) when viewers.identity is cloudflare-access");
            ConfigException.require(!cloudflare.audience().isEmpty(), "viewers.cloudflare.audience", cloudflare.audience(),
                    "the Application Audience (AUD) tag of your Access application when viewers.identity is cloudflare-access");
        }
        if ("trusted-proxy".equals(identity)) {
            ConfigException.require(!trustedProxies.isEmpty(), "viewers.trustedProxies", trustedProxies,
                    "the address of your reverse proxy (such as 127.0.0.1) when viewers.identity is trusted-proxy");
        }
    }

    public static ViewersConfig defaults() {
        return new ViewersConfig("local", "", "X-Forwarded-User", CloudflareConfig.defaults());
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
