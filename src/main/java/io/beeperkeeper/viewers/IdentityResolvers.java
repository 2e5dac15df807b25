package io.beeperkeeper.viewers;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.beeperkeeper.config.ViewersConfig;

import java.time.Clock;

/**
 * The three ways of knowing who a visitor is ({@code viewers.identity}): local, cloudflare-access
 * and trusted-proxy.
 */
public final class IdentityResolvers {
    public static final String ACCESS_HEADER = "Cf-Access-Jwt-Assertion";

    private IdentityResolvers() {
    }

    /** The resolver the config asks for, fetching Cloudflare's keys from the team (or certsUrl). */
    public static IdentityResolver fromConfig(ViewersConfig config, Clock clock) {
        ClientAddresses addresses = ClientAddresses.parse(config.trustedProxies());
        return switch (config.identity()) {
            case "cloudflare-access" -> cloudflareAccess(config.cloudflare(), addresses,
                    CloudflareAccessVerifier.remoteKeys(config.cloudflare().effectiveCertsUrl()), clock);
            case "trusted-proxy" -> trustedProxy(addresses, config.proxyUserHeader());
            default -> local(addresses);
        };
    }

    /** Everyone is {@code local-<client IP>}. */
    public static IdentityResolver local(ClientAddresses addresses) {
        return request -> new IdentityResult.Identified(
                new ViewerIdentity("local-" + addresses.clientAddress(request), ViewerIdentity.Source.LOCAL));
    }

    /**
     * A verified Cloudflare Access token, or nothing. A bare loopback request (no token, no proxy
     * headers, which cloudflared always adds) may count as {@code local-127.0.0.1} when allowed.
     */
    public static IdentityResolver cloudflareAccess(ViewersConfig.CloudflareConfig cf, ClientAddresses addresses,
                                                    JWKSource<SecurityContext> keys, Clock clock) {
        CloudflareAccessVerifier verifier = new CloudflareAccessVerifier(cf.teamUrl(), cf.audience(), keys, clock);
        boolean allowLoopback = cf.allowLoopback();
        return request -> {
            String token = request.header(ACCESS_HEADER);
            if (token == null && allowLoopback && ClientAddresses.isLoopback(request.socketAddress())
                    && request.header("CF-Connecting-IP") == null && request.header("X-Forwarded-For") == null) {
                return new IdentityResult.Identified(new ViewerIdentity("local-" + addresses.clientAddress(request), ViewerIdentity.Source.LOCAL));
            }
            return verifier.verify(token);
        };
    }

    /** The user header of a configured reverse proxy; requests from anywhere else are refused. */
    public static IdentityResolver trustedProxy(ClientAddresses addresses, String userHeader) {
        return request -> {
            if (!addresses.isTrustedProxy(request.socketAddress())) {
                return new IdentityResult.Refused("request did not come through the trusted reverse proxy");
            }
            String raw = request.header(userHeader);
            String name = Names.clean(raw == null ? "" : raw.contains("@") ? raw.substring(0, raw.indexOf('@')) : raw);
            if (name.isEmpty()) {
                return new IdentityResult.Refused("the reverse proxy sent no user in " + userHeader);
            }
            return new IdentityResult.Identified(new ViewerIdentity(name, ViewerIdentity.Source.PROXY_USER));
        };
    }
}
