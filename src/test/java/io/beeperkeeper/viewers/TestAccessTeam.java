package io.beeperkeeper.viewers;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A stand-in Cloudflare Access team for tests: serves its public keys as a JWKS on 127.0.0.1 and
 * mints signed application tokens, exactly as Cloudflare's edge would put them in
 * Cf-Access-Jwt-Assertion.
 */
public final class TestAccessTeam implements AutoCloseable {
    public static final String TEAM = "coop-team";
    public static final String ISSUER = "https://coop-team.cloudflareaccess.com";
    public static final String AUDIENCE = "aud-tag-test";

    private final RSAKey key;
    private final HttpServer server;

    public TestAccessTeam() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cdn-cgi/access/certs", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        server.start();
    }

    public String certsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cdn-cgi/access/certs";
    }

    /** A valid token for this e-mail address, good for an hour. */
    public String token(String email) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE))
                .subject(email).claim("email", email).claim("type", "app")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A token with this team's issuer, audience and kid, signed by a key that is not the team's. */
    public static String forged(String email) throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("test-key").generate();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE))
                .subject(email).claim("email", email).claim("type", "app")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test-key").type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(impostor));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
