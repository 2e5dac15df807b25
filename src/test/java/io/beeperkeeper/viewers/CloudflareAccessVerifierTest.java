package io.beeperkeeper.viewers;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.beeperkeeper.config.ViewersConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cloudflare Access verification against a JWKS served by a real HTTP server on 127.0.0.1, with
 * tokens minted here: every forgery the issue lists must be refused.
 */
class CloudflareAccessVerifierTest {
    static final String TEAM = "https://coop-team.cloudflareaccess.com";
    static final String AUD = "aud-tag-1234567890";
    static RSAKey key;
    static RSAKey otherKey;
    static RSAKey rotatedKey;

    final Instant now = Instant.parse("2026-05-01T10:00:00Z");
    final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    HttpServer jwks;
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicReference<JWKSet> served = new AtomicReference<>();
    IdentityResolver resolver;

    @BeforeAll
    static void keys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        rotatedKey = new RSAKeyGenerator(2048).keyID("k2").generate();
    }

    @BeforeEach
    void serveKeys() throws Exception {
        served.set(new JWKSet(key.toPublicJWK()));
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/cdn-cgi/access/certs", ex -> {
            fetches.incrementAndGet();
            byte[] body = served.get().toString(true).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
        String certs = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/cdn-cgi/access/certs";
        ViewersConfig.CloudflareConfig cf = new ViewersConfig.CloudflareConfig("coop-team", AUD, certs, false);
        resolver = IdentityResolvers.cloudflareAccess(cf, ClientAddresses.parse(""),
                CloudflareAccessVerifier.remoteKeys(cf.effectiveCertsUrl()), clock);
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(TEAM)
                .audience(List.of(AUD))
                .subject("7335d417-61da-459d-899c-0a01c76a2f94")
                .claim("email", "alice@example.com")
                .claim("type", "app")
                .issueTime(Date.from(now.minusSeconds(10)))
                .notBeforeTime(Date.from(now.minusSeconds(10)))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    static String sign(RSAKey with, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    IdentityResult resolve(String token) {
        return resolver.resolve(request("203.0.113.9", token == null ? Map.of() : Map.of(IdentityResolvers.ACCESS_HEADER, token)));
    }

    static IncomingRequest request(String socket, Map<String, String> headers) {
        return new IncomingRequest() {
            @Override
            public String socketAddress() {
                return socket;
            }

            @Override
            public String header(String name) {
                return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
            }
        };
    }

    static void assertRefused(IdentityResult r) {
        assertThat(r).isInstanceOf(IdentityResult.Refused.class);
    }

    @Test
    void validTokenNamesTheUserByTheLocalPartOfTheirEmail() throws Exception {
        IdentityResult r = resolve(sign(key, claims().build()));
        assertThat(r).isEqualTo(new IdentityResult.Identified(new ViewerIdentity("alice", ViewerIdentity.Source.ACCESS_USER)));
    }

    @Test
    void serviceTokenIsNamedByItsCommonName() throws Exception {
        JWTClaimsSet c = claims().claim("email", null).subject("").claim("common_name", "abc123.access").build();
        assertThat(resolve(sign(key, c))).isEqualTo(
                new IdentityResult.Identified(new ViewerIdentity("abc123.access", ViewerIdentity.Source.SERVICE_TOKEN)));
    }

    @Test
    void tokenSignedByAnotherKeyWithTheSameKidIsRefused() throws Exception {
        assertRefused(resolve(sign(otherKey, claims().build())));
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        assertRefused(resolve(new PlainJWT(claims().build()).serialize()));
        // and a hand-made "alg":"none" header with the real signature part removed
        String header = b64("{\"alg\":\"none\",\"kid\":\"k1\"}");
        String payload = b64(claims().build().toString());
        assertRefused(resolve(header + "." + payload + "."));
    }

    @Test
    void hs256SignedWithThePublicKeyAsSecretIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        assertRefused(resolve(jwt.serialize()));
        SignedJWT jwt2 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        jwt2.sign(new MACSigner(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        assertRefused(resolve(jwt2.serialize()));
    }

    @Test
    void expiryHasSixtySecondsOfLeewayAndNoMore() throws Exception {
        assertThat(resolve(sign(key, claims().expirationTime(Date.from(now.minusSeconds(30))).build())))
                .isInstanceOf(IdentityResult.Identified.class);
        assertRefused(resolve(sign(key, claims().expirationTime(Date.from(now.minusSeconds(90))).build())));
    }

    @Test
    void notBeforeHasSixtySecondsOfLeewayAndNoMore() throws Exception {
        assertThat(resolve(sign(key, claims().notBeforeTime(Date.from(now.plusSeconds(30))).build())))
                .isInstanceOf(IdentityResult.Identified.class);
        assertRefused(resolve(sign(key, claims().notBeforeTime(Date.from(now.plusSeconds(90))).build())));
    }

    @Test
    void missingExpiryIsRefused() throws Exception {
        assertRefused(resolve(sign(key, claims().expirationTime(null).build())));
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        assertRefused(resolve(sign(key, claims().audience(List.of("another-app")).build())));
        assertRefused(resolve(sign(key, claims().audience((String) null).build())));
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        assertRefused(resolve(sign(key, claims().issuer("https://evil-team.cloudflareaccess.com").build())));
        assertRefused(resolve(sign(key, claims().issuer(null).build())));
    }

    @Test
    void unknownKidIsRefusedAndRefetchesTheKeysAtMostOnceAMinute() throws Exception {
        assertThat(resolve(sign(key, claims().build()))).isInstanceOf(IdentityResult.Identified.class);
        assertThat(fetches.get()).isEqualTo(1);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k9").generate();
        for (int i = 0; i < 20; i++) {
            assertRefused(resolve(sign(stranger, claims().build())));
        }
        assertThat(fetches.get()).as("JWKS fetches after 20 tokens with an unknown kid").isEqualTo(2);
    }

    @Test
    void aRotatedKeyIsPickedUpByRefetchingOnItsUnknownKid() throws Exception {
        assertThat(resolve(sign(key, claims().build()))).isInstanceOf(IdentityResult.Identified.class);
        served.set(new JWKSet(List.of(key.toPublicJWK(), rotatedKey.toPublicJWK())));
        assertThat(resolve(sign(rotatedKey, claims().build()))).isInstanceOf(IdentityResult.Identified.class);
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void garbageIsRefused() throws Exception {
        for (String g : new String[]{"", "   ", "garbage", "a.b.c", "a.b", "....", "eyJ.eyJ.sig",
                "Bearer " + sign(key, claims().build()), "x".repeat(20_000)}) {
            assertRefused(resolve(g));
        }
        assertRefused(resolve(null));
    }

    @Test
    void loopbackWithoutTokenIsRefusedUnlessAllowed() throws Exception {
        IncomingRequest bare = request("127.0.0.1", Map.of());
        assertRefused(resolver.resolve(bare));
        String certs = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/cdn-cgi/access/certs";
        ViewersConfig.CloudflareConfig cf = new ViewersConfig.CloudflareConfig("coop-team", AUD, certs, true);
        IdentityResolver lenient = IdentityResolvers.cloudflareAccess(cf, ClientAddresses.parse(""),
                CloudflareAccessVerifier.remoteKeys(certs), clock);
        assertThat(lenient.resolve(bare)).isEqualTo(new IdentityResult.Identified(new ViewerIdentity("local-127.0.0.1", ViewerIdentity.Source.LOCAL)));
        // a request relayed by cloudflared (it adds CF-Connecting-IP) never gets the loopback pass
        assertRefused(lenient.resolve(request("127.0.0.1", Map.of("CF-Connecting-IP", "198.51.100.7"))));
        // nor does a request with a bad token
        assertRefused(lenient.resolve(request("127.0.0.1", Map.of(IdentityResolvers.ACCESS_HEADER, "garbage"))));
        // nor a LAN address
        assertRefused(lenient.resolve(request("192.168.1.20", Map.of())));
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
