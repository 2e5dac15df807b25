package io.beeperkeeper.viewers;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Set;

/**
 * Verifies a Cloudflare Access application token (the {@code Cf-Access-Jwt-Assertion} header) the
 * way Cloudflare documents it, with Nimbus JOSE+JWT: RS256 only, the key chosen by {@code kid} from
 * the team's JWKS (cached; refetched on an unknown kid at most once a minute), {@code iss} equal to
 * the team URL, {@code aud} containing the application's AUD tag, {@code exp}/{@code nbf} with 60 s
 * leeway. Returns the viewer's identity: the e-mail's local part, or a service token's common name.
 */
public final class CloudflareAccessVerifier {
    public static final int CLOCK_SKEW_SECONDS = 60;
    /** Real Access tokens are 1-2 KB; anything far larger is refused before parsing. */
    private static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public CloudflareAccessVerifier(String issuer, String audience, JWKSource<SecurityContext> keys, Clock clock) {
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("exp", "iss", "aud"),
                null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * The team's key set from {@code certsUrl}: cached for 10 minutes, fetched again when a token
     * names an unknown kid, but never more than once a minute (Nimbus's rate limiter), so garbage
     * tokens cannot make us hammer Cloudflare.
     */
    public static JWKSource<SecurityContext> remoteKeys(String certsUrl) {
        URL url;
        try {
            url = URI.create(certsUrl).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a usable JWKS URL: " + certsUrl, e);
        }
        return JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(3000, 3000, 256 * 1024))
                .cache(10 * 60_000L, 15_000L)
                .rateLimited(60_000L)
                .retrying(false)
                .build();
    }

    /** The identity in a token, or a reason it was refused. */
    public IdentityResult verify(String token) {
        if (token == null || token.isBlank()) {
            return new IdentityResult.Refused("no Cloudflare Access token (Cf-Access-Jwt-Assertion header)");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return new IdentityResult.Refused("Cloudflare Access token too large");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token.trim(), null);
        } catch (ParseException e) {
            return new IdentityResult.Refused("Cloudflare Access token is not a JWT");
        } catch (BadJOSEException e) {
            return new IdentityResult.Refused("Cloudflare Access token rejected: " + e.getMessage());
        } catch (JOSEException e) {
            return new IdentityResult.Refused("Cloudflare Access token could not be checked: " + e.getMessage());
        }
        try {
            String email = claims.getStringClaim("email");
            if (email != null && !email.isBlank()) {
                String local = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
                String name = Names.clean(local);
                return name.isEmpty() ? refusedNoName() : new IdentityResult.Identified(new ViewerIdentity(name, ViewerIdentity.Source.ACCESS_USER));
            }
            String commonName = claims.getStringClaim("common_name");
            if (commonName != null && !commonName.isBlank()) {
                String name = Names.clean(commonName);
                return name.isEmpty() ? refusedNoName() : new IdentityResult.Identified(new ViewerIdentity(name, ViewerIdentity.Source.SERVICE_TOKEN));
            }
        } catch (ParseException e) {
            return new IdentityResult.Refused("Cloudflare Access token has a malformed email or common_name claim");
        }
        return refusedNoName();
    }

    private static IdentityResult refusedNoName() {
        return new IdentityResult.Refused("Cloudflare Access token has neither an email nor a common_name");
    }
}
