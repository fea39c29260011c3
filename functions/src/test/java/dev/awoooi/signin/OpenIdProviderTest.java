package dev.awoooi.signin;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real HTTP peer that answers as a provider does: discovery, JWK set, token endpoint. */
class OpenIdProviderTest {
    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    final HttpServer server;
    final String issuer;
    final RSAKey key = generate("k1");
    final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(key.toPublicJWK()));
    final AtomicReference<String> issuedToken = new AtomicReference<>();
    final AtomicReference<String> tokenRequest = new AtomicReference<>();
    final AtomicReference<String> tokenAuthorization = new AtomicReference<>();
    String discoveryIssuer;
    final OpenIdProvider provider;

    OpenIdProviderTest() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
        discoveryIssuer = issuer;
        server.createContext("/issuer/.well-known/openid-configuration", ex -> respond(ex, 200, "{\"issuer\":\"" + discoveryIssuer
                + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\",\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + issuer + "/jwks\"}"));
        server.createContext("/issuer/jwks", ex -> respond(ex, 200, published.get().toString()));
        server.createContext("/issuer/token", ex -> {
            tokenRequest.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            tokenAuthorization.set(ex.getRequestHeaders().getFirst("Authorization"));
            String token = issuedToken.get();
            respond(ex, token == null ? 400 : 200, token == null ? "{\"error\":\"invalid_grant\"}" : "{\"id_token\":\"" + token + "\",\"token_type\":\"Bearer\"}");
        });
        server.start();
        provider = new OpenIdProvider(issuer, "awoooi", () -> "client-secret", HttpClient::newHttpClient, JsonMapper.builder().build(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void respond(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    String token(RSAKey signer, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        var claims = new JWTClaimsSet.Builder().issuer(issuer).subject("dana").audience("awoooi").claim("nonce", "n-1")
                .issueTime(Date.from(NOW.minusSeconds(5))).expirationTime(Date.from(NOW.plusSeconds(300)));
        change.accept(claims);
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).type(JOSEObjectType.JWT).build(), claims.build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    @Test
    void theCodeIsRedeemedWithPkceAndTheClientsCredentialsAndTheIdTokenSaysWho() throws Exception {
        issuedToken.set(token(key, c -> { }));
        var login = provider.redeem("the-code", "the-verifier", "https://awoooi.example/approvals/oidc/callback", "n-1");
        assertThat(login).isEqualTo(new OpenIdProvider.Login(issuer, "dana"));
        assertThat(login.identitySubject()).isEqualTo(issuer + "|dana");
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : tokenRequest.get().split("&")) {
            form.put(pair.substring(0, pair.indexOf('=')), URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
        }
        assertThat(form).containsEntry("grant_type", "authorization_code").containsEntry("code", "the-code")
                .containsEntry("code_verifier", "the-verifier").containsEntry("redirect_uri", "https://awoooi.example/approvals/oidc/callback");
        assertThat(tokenAuthorization.get()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("awoooi:client-secret".getBytes()));
    }

    @Test
    void theAuthorizationUrlCarriesStateNonceAndAnS256Challenge() {
        var uri = provider.authorize("https://awoooi.example/approvals/oidc/callback", "st", "nn", "ch").toString();
        assertThat(uri).startsWith(issuer + "/authorize?response_type=code&scope=openid&client_id=awoooi&redirect_uri=https%3A%2F%2F")
                .contains("&state=st&nonce=nn&code_challenge=ch&code_challenge_method=S256");
    }

    @Test
    void everyCheckOfTheIdTokenRefusesWhatFailsIt() throws Exception {
        assertRefused(token(key, c -> c.claim("nonce", "n-other")), "nonce");
        assertRefused(token(key, c -> c.claim("nonce", null)), "nonce");
        assertRefused(token(key, c -> c.issuer("https://evil.example")), "another issuer");
        assertRefused(token(key, c -> c.audience("someone-else")), "another client");
        assertRefused(token(key, c -> c.audience(List.of("awoooi", "other")).claim("azp", "other")), "another client");
        assertRefused(token(key, c -> c.expirationTime(Date.from(NOW.minusSeconds(61)))), "expired");
        assertRefused(token(key, c -> c.issueTime(Date.from(NOW.plusSeconds(120)))), "future");
        assertRefused(token(key, c -> c.subject("a|b")), "subject");
        // signed by a key the provider does not publish, under a kid it does
        assertRefused(token(generate("k1"), c -> { }), "signature does not verify");
        // HS256 with the client secret as the key: the algorithm-confusion attack
        var hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer(issuer).subject("dana").audience("awoooi")
                .claim("nonce", "n-1").issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(60))).build());
        hs.sign(new MACSigner("client-secret-client-secret-client-secret".getBytes()));
        assertRefused(hs.serialize(), "algorithm HS256 is not accepted");
        var none = new PlainJWT(new JWTClaimsSet.Builder().issuer(issuer).subject("dana").audience("awoooi").claim("nonce", "n-1").build());
        assertRefused(none.serialize(), "not a signed JWT");
        assertRefused("not-a-token", "not a signed JWT");
    }

    @Test
    void aRotatedKeyIsFetchedOnceItsIdAppearsAndAnUnpublishedOneIsRefused() throws Exception {
        assertThat(provider.verify(token(key, c -> { }), "n-1").subject()).isEqualTo("dana");
        RSAKey rotated = generate("k2");
        published.set(new JWKSet(List.of(key.toPublicJWK(), rotated.toPublicJWK())));
        // within a minute of the last fetch the set is not fetched again: an unknown kid is refused without a request storm
        assertRefused(token(rotated, c -> { }), "key the identity provider does not publish");
        var later = new OpenIdProvider(issuer, "awoooi", () -> "client-secret", HttpClient::newHttpClient, JsonMapper.builder().build(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(later.verify(token(rotated, c -> { }), "n-1").subject()).isEqualTo("dana");
        assertThatThrownBy(() -> later.verify(token(generate("k3"), c -> { }), "n-1")).hasMessageContaining("does not publish");
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerAFailingTokenEndpointAndAPlainHttpIssuerAreRefused() {
        assertThatThrownBy(() -> provider.redeem("bad", "v", "https://a.example/cb", "n-1")).isInstanceOf(OpenIdProvider.SignInFailed.class)
                .hasMessage("the identity provider's token endpoint answered 400");
        discoveryIssuer = "https://evil.example";
        var other = new OpenIdProvider(issuer, "awoooi", () -> "s", HttpClient::newHttpClient, JsonMapper.builder().build(), Clock.systemUTC());
        assertThatThrownBy(() -> other.authorize("https://a.example/cb", "s", "n", "c")).hasMessage("the discovery document names another issuer");
        assertThatThrownBy(() -> new OpenIdProvider("http://id.example", "awoooi", () -> "s", HttpClient::newHttpClient, JsonMapper.builder().build(),
                Clock.systemUTC())).hasMessageContaining("https");
    }

    void assertRefused(String idToken, String because) {
        assertThatThrownBy(() -> provider.verify(idToken, "n-1")).isInstanceOf(OpenIdProvider.SignInFailed.class).hasMessageContaining(because);
    }
}
