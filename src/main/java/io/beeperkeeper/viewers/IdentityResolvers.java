package io.beeperkeeper.viewers;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.beeperkeeper.config.ViewersConfig;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The three ways of knowing who a visitor is ({@code viewers.identity}): local, cloudflare-access
 * and trusted-proxy.
 */
public final class IdentityResolvers {
    public static final String ACCESS_HEADER = "Cf-Access-Jwt-Assertion";
    /**
     * Headers a relay adds (cloudflared always sends CF-Connecting-IP, CF-Ray and X-Forwarded-For):
     * a request carrying any of them did not come straight from the visitor's device.
     */
    private static final List<String> RELAY_HEADERS = List.of("CF-Connecting-IP", "CF-Ray", "CF-Visitor",
            "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-IP");
    private static final List<AddressBlock> LOOPBACK = List.of(AddressBlock.parse("127.0.0.0/8"), AddressBlock.parse("::1"));

    private IdentityResolvers() {
    }

    /** The resolver the config asks for, fetching Cloudflare's keys from the team (or certsUrl). */
    public static IdentityResolver fromConfig(ViewersConfig config, Clock clock) {
        ClientAddresses addresses = ClientAddresses.parse(config.trustedProxies());
        return switch (config.identity()) {
            case CLOUDFLARE_ACCESS -> cloudflareAccess(config.cloudflare(), addresses, blocks(config.localNetworks()),
                    CloudflareAccessVerifier.remoteKeys(config.cloudflare().effectiveCertsUrl()), clock);
            case TRUSTED_PROXY -> trustedProxy(addresses, config.proxyUserHeader());
            case LOCAL -> local(addresses);
        };
    }

    /** Everyone is {@code local-<client IP>}. */
    public static IdentityResolver local(ClientAddresses addresses) {
        return request -> new IdentityResult.Identified(
                new ViewerIdentity("local-" + addresses.clientAddress(request), ViewerIdentity.Source.LOCAL));
    }

    /** A verified Cloudflare Access token, or nothing; no home network may skip the token. */
    public static IdentityResolver cloudflareAccess(ViewersConfig.CloudflareConfig cf, ClientAddresses addresses,
                                                    JWKSource<SecurityContext> keys, Clock clock) {
        return cloudflareAccess(cf, addresses, List.of(), keys, clock);
    }

    /**
     * A verified Cloudflare Access token, or, for a request straight from a device on one of the
     * {@code localNetworks} (no token, no relay header), {@code local-<IP>}: the household on the LAN
     * watches without the tunnel, where WebRTC works. A token that is present is always verified, so a
     * bad one is refused even from the LAN, and anything cloudflared relays (it adds CF-Connecting-IP)
     * needs a valid token whatever its socket address. {@code allowLoopback} adds this machine.
     */
    public static IdentityResolver cloudflareAccess(ViewersConfig.CloudflareConfig cf, ClientAddresses addresses,
                                                    List<AddressBlock> localNetworks,
                                                    JWKSource<SecurityContext> keys, Clock clock) {
        CloudflareAccessVerifier verifier = new CloudflareAccessVerifier(cf.teamUrl(), cf.audience(), keys, clock);
        List<AddressBlock> home = new ArrayList<>(localNetworks);
        if (cf.allowLoopback()) {
            home.addAll(LOOPBACK);
        }
        List<AddressBlock> direct = List.copyOf(home);
        return request -> {
            String token = request.header(ACCESS_HEADER);
            if (token == null && isDirect(request)) {
                Optional<InetAddress> peer = AddressBlock.parseLiteral(request.socketAddress());
                if (peer.isPresent() && direct.stream().anyMatch(b -> b.contains(peer.get()))) {
                    return new IdentityResult.Identified(new ViewerIdentity("local-" + peer.get().getHostAddress(), ViewerIdentity.Source.LOCAL));
                }
            }
            return verifier.verify(token);
        };
    }

    /** True when no relay (tunnel, reverse proxy) left its headers on the request. */
    public static boolean isDirect(IncomingRequest request) {
        for (String h : RELAY_HEADERS) {
            if (request.header(h) != null) {
                return false;
            }
        }
        return true;
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

    /** Comma-separated addresses or CIDR blocks (already checked by the config). */
    static List<AddressBlock> blocks(String commaSeparated) {
        List<AddressBlock> out = new ArrayList<>();
        for (String p : commaSeparated.split(",")) {
            if (!p.isBlank()) {
                out.add(AddressBlock.parse(p));
            }
        }
        return List.copyOf(out);
    }
}
