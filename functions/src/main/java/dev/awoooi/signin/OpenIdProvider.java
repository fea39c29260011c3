package dev.awoooi.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An OpenID Connect provider (Cognito, Okta, Google, Entra ID, the local stack's Spring Authorization Server) used by
 * the authorization code flow with PKCE: where to send the person, and what their ID token proves once they come back.
 * The discovery document's issuer must equal the configured one exactly; an ID token counts only if signed with RS256
 * or ES256 by a key of the provider's JWK set, issued by that issuer to this client, unexpired, and carrying the nonce
 * this sign-in sent. Nothing the provider returns is logged: a failure says which check failed, never the token.
 */
public final class OpenIdProvider {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration JWKS_REFRESH = Duration.ofMinutes(1);

    private final String issuer;
    private final String clientId;
    private final Supplier<String> clientSecret;
    private final Supplier<HttpClient> http;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile Discovery discovery;
    private volatile JWKSet keys;
    private volatile Instant keysFetchedAt = Instant.EPOCH;

    /** A sign-in that did not prove anyone: the reason is safe to show and to audit. */
    public static final class SignInFailed extends RuntimeException {
        public SignInFailed(String reason) {
            super(reason);
        }

        public SignInFailed(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Who the provider says signed in: its issuer and their subject there. */
    public record Login(String issuer, String subject) {
        /** The directory's form of this identity: {@code issuer|subject}. */
        public String identitySubject() {
            return issuer + "|" + subject;
        }
    }

    private record Discovery(URI authorization, URI token, URI jwks) {
    }

    public OpenIdProvider(String issuer, String clientId, Supplier<String> clientSecret, Supplier<HttpClient> http, ObjectMapper json, Clock clock) {
        URI uri = URI.create(issuer);
        boolean loopback = "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new IllegalArgumentException("the OpenID Connect issuer must be an https URL");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("an OpenID Connect issuer needs a client id");
        }
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    public String issuer() {
        return issuer;
    }

    /** Where to send the person: the authorization endpoint with this sign-in's state, nonce and PKCE challenge. */
    public URI authorize(String redirectUri, String state, String nonce, String codeChallenge) {
        Discovery d = discovery();
        return URI.create(d.authorization() + (d.authorization().getRawQuery() == null ? "?" : "&")
                + "response_type=code&scope=openid&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirectUri)
                + "&state=" + enc(state) + "&nonce=" + enc(nonce) + "&code_challenge=" + enc(codeChallenge) + "&code_challenge_method=S256");
    }

    /** Redeems the code at the token endpoint and verifies the ID token it returns. */
    public Login redeem(String code, String codeVerifier, String redirectUri, String nonce) {
        Discovery d = discovery();
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(redirectUri) + "&code_verifier=" + enc(codeVerifier);
        String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret.get())).getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(d.token()).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.ofString(form)).build(), "token endpoint");
        String idToken = answer.path("id_token").asString(null);
        if (idToken == null) {
            throw new SignInFailed("the identity provider returned no ID token");
        }
        return verify(idToken, nonce);
    }

    /** The checks of OpenID Connect Core §3.1.3.7 that apply to a confidential client. */
    Login verify(String idToken, String nonce) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(idToken);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new SignInFailed("the ID token is not a signed JWT", e);
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new SignInFailed("the ID token's algorithm " + alg + " is not accepted (RS256, ES256)");
        }
        JWK key = key(jwt.getHeader().getKeyID(), alg);
        try {
            JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
            if (!jwt.verify(verifier)) {
                throw new SignInFailed("the ID token's signature does not verify");
            }
        } catch (JOSEException e) {
            throw new SignInFailed("the ID token's signature could not be checked", e);
        }
        Instant now = clock.instant();
        if (!issuer.equals(claims.getIssuer())) {
            throw new SignInFailed("the ID token was issued by another issuer");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(clientId)
                || (claims.getAudience().size() > 1 && !clientId.equals(claim(claims, "azp")))) {
            throw new SignInFailed("the ID token was issued to another client");
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || !now.minus(SKEW).isBefore(exp.toInstant())) {
            throw new SignInFailed("the ID token has expired");
        }
        if (iat == null || iat.toInstant().isAfter(now.plus(SKEW))) {
            throw new SignInFailed("the ID token was issued in the future");
        }
        if (nonce == null || !java.security.MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                String.valueOf(claim(claims, "nonce")).getBytes(StandardCharsets.UTF_8))) {
            throw new SignInFailed("the ID token does not carry this sign-in's nonce (a replayed or mixed-up sign-in)");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 255 || subject.chars().anyMatch(c -> c == '|' || Character.isWhitespace(c))) {
            throw new SignInFailed("the ID token's subject is not usable");
        }
        return new Login(issuer, subject);
    }

    private static Object claim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name);
    }

    /** The key that signed: from the cached set, refetched once when an unknown key id appears (a rotation). */
    private JWK key(String kid, JWSAlgorithm alg) {
        JWK key = find(keys, kid, alg);
        if (key == null && clock.instant().isAfter(keysFetchedAt.plus(JWKS_REFRESH))) {
            JsonNode set = send(HttpRequest.newBuilder(discovery().jwks()).timeout(Duration.ofSeconds(5)).GET().build(), "JWK set");
            try {
                keys = JWKSet.parse(json.writeValueAsString(set));
            } catch (ParseException e) {
                throw new SignInFailed("the identity provider's JWK set is not valid", e);
            }
            keysFetchedAt = clock.instant();
            key = find(keys, kid, alg);
        }
        if (key == null) {
            throw new SignInFailed("the ID token was signed by a key the identity provider does not publish");
        }
        return key;
    }

    private static JWK find(JWKSet set, String kid, JWSAlgorithm alg) {
        if (set == null) {
            return null;
        }
        return set.getKeys().stream()
                .filter(k -> kid == null || kid.equals(k.getKeyID()))
                .filter(k -> JWSAlgorithm.RS256.equals(alg) ? k instanceof RSAKey : k instanceof ECKey)
                .filter(k -> k.getKeyUse() == null || "sig".equals(k.getKeyUse().identifier()))
                .findFirst().orElse(null);
    }

    private Discovery discovery() {
        Discovery d = discovery;
        if (d == null) {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            JsonNode doc = send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5))
                    .GET().build(), "discovery document");
            if (!issuer.equals(doc.path("issuer").asString(null))) {
                throw new SignInFailed("the discovery document names another issuer");
            }
            d = new Discovery(endpoint(doc, "authorization_endpoint"), endpoint(doc, "token_endpoint"), endpoint(doc, "jwks_uri"));
            discovery = d;
        }
        return d;
    }

    private static URI endpoint(JsonNode doc, String field) {
        String value = doc.path(field).asString(null);
        if (value == null) {
            throw new SignInFailed("the discovery document has no " + field);
        }
        return URI.create(value);
    }

    private JsonNode send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.get().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new SignInFailed("the identity provider's " + what + " answered " + response.statusCode());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new SignInFailed("the identity provider's " + what + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInFailed("interrupted while asking the identity provider's " + what, e);
        } catch (RuntimeException e) {
            if (e instanceof SignInFailed) {
                throw e;
            }
            throw new SignInFailed("the identity provider's " + what + " is not valid JSON", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
