package dev.awoooi.privacy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** One example per shape the shield must catch, with the exact span, and the look-alikes it must leave alone. */
class SecretScannerTest {
    private static final SecretScanner scanner = SecretScanner.standard();

    static Stream<Arguments> planted() {
        return Stream.of(
                arguments("client 203.0.113.42:51234 reset the connection", SecretType.IPV4, "203.0.113.42"),
                arguments("GET http://10.2.3.4:8080/healthz", SecretType.IPV4, "10.2.3.4"),
                arguments("peer [2001:db8::8a2e:370:7334]:443 closed", SecretType.IPV6, "2001:db8::8a2e:370:7334"),
                arguments("from fe80::1ff:fe23:4567:890a%eth0", SecretType.IPV6, "fe80::1ff:fe23:4567:890a"),
                arguments("src=2001:0db8:85a3:0000:0000:8a2e:0370:7334 dst=x", SecretType.IPV6, "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
                arguments("mapped ::ffff:192.0.2.128 seen", SecretType.IPV6, "::ffff:192.0.2.128"),
                arguments("paged ops.lead+oncall@corp.example.com twice", SecretType.EMAIL, "ops.lead+oncall@corp.example.com"),
                arguments("\"user\":\"Jane.Doe@Example.co.uk\"", SecretType.EMAIL, "Jane.Doe@Example.co.uk"),
                arguments("request_id=3F2504E0-4F89-11D3-9A0C-0305E82C3301 failed", SecretType.UUID, "3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
                arguments("uid: 9b2e4c1a-7f3d-4e8b-a1c2-5d6e7f8a9b0c", SecretType.UUID, "9b2e4c1a-7f3d-4e8b-a1c2-5d6e7f8a9b0c"),
                arguments("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                        SecretType.JWT, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
                arguments("key: -----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA7V9q\\n-----END RSA PRIVATE KEY----- done",
                        SecretType.PRIVATE_KEY, "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA7V9q\\n-----END RSA PRIVATE KEY-----"),
                arguments("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
                        SecretType.PRIVATE_KEY, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"),
                arguments("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", SecretType.AWS_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPLE"),
                arguments("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", SecretType.AWS_SECRET_ACCESS_KEY,
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                arguments("token ghp_16C7e42F292c6912E7710c838347Ae178B4a pushed", SecretType.GITHUB_TOKEN, "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
                arguments("GITLAB_TOKEN=glpat-xZ9uE3bQ2kP7wR1tY5vN", SecretType.GITLAB_TOKEN, "glpat-xZ9uE3bQ2kP7wR1tY5vN"),
                arguments("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", SecretType.SLACK_TOKEN,
                        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
                arguments("hook https://hooks.slack.com/services/T0A1B2C3D/B0E1F2G3H/aBcDeFgHiJkLmNoPqRsTuVwX.", SecretType.SLACK_TOKEN,
                        "https://hooks.slack.com/services/T0A1B2C3D/B0E1F2G3H/aBcDeFgHiJkLmNoPqRsTuVwX"),
                arguments("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", SecretType.STRIPE_KEY, "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
                arguments("maps key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI;", SecretType.GOOGLE_API_KEY, "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI"),
                arguments("OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f", SecretType.OPENAI_KEY,
                        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f"),
                arguments("x-api-key: sk-ant-api03-" + "a".repeat(30) + "B".repeat(63) + "AA", SecretType.ANTHROPIC_KEY,
                        "sk-ant-api03-" + "a".repeat(30) + "B".repeat(63) + "AA"),
                arguments("dsn postgres://orders:S3cr3t-P4ss@db.internal:5432/orders", SecretType.URL_CREDENTIALS, "orders:S3cr3t-P4ss"),
                arguments("redis://:hunter2hunter2@cache.prod.svc:6379", SecretType.URL_CREDENTIALS, ":hunter2hunter2"),
                arguments("curl -H 'Authorization: Bearer 8fJ2kL9mN4pQ7rS1tU6vW3xY' https://api", SecretType.BEARER_TOKEN, "8fJ2kL9mN4pQ7rS1tU6vW3xY"),
                arguments("DB_PASSWORD=Tr0ub4dor&3x", SecretType.GENERIC_SECRET, "Tr0ub4dor&3x"),
                arguments("GET /login?user=x&password=Zq8vLm2kTr9w&next=/", SecretType.GENERIC_SECRET, "Zq8vLm2kTr9w"),
                arguments("{\"client_secret\": \"q8Vd2LkX0pZr7Tn4Wm\"}", SecretType.GENERIC_SECRET, "q8Vd2LkX0pZr7Tn4Wm"),
                arguments("password: Winter2024!Deploy", SecretType.GENERIC_SECRET, "Winter2024!Deploy"),
                arguments("card 4111 1111 1111 1111 declined", SecretType.CREDIT_CARD, "4111 1111 1111 1111"),
                arguments("amex 3782-822463-10005,", SecretType.CREDIT_CARD, "3782-822463-10005"),
                arguments("pan=5555555555554444", SecretType.CREDIT_CARD, "5555555555554444"));
    }

    @ParameterizedTest
    @MethodSource("planted")
    void findsEachShapeWithItsExactSpan(String text, SecretType type, String value) {
        var found = scanner.scan(text);
        assertThat(found).hasSize(1);
        assertThat(found.getFirst().type()).isEqualTo(type);
        assertThat(found.getFirst().valueIn(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "image nginx:1.25.3-alpine rolled out, chart 4.2.0, go1.21.5, v1.28.3, 1.2.3-rc.1+build.5",
            "at 2026-11-21T03:12:00.123+08:00 (epoch 1732147200000, 1732147200123456789 ns) took 12:30:45",
            "commit 8f2a9c1d4e5b6a7f8091a2b3c4d5e6f708192a3b short 8f2a9c1 digest sha256:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
            "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
            "pod frontend-7d9f8b6c5d-x2k9p on node ip-10-0-12-34.ec2.internal restarted; postgres-db-0 ready",
            "http_requests_total{code=\"500\",method=\"GET\"} 1234 container_memory_working_set_bytes 5.36870912e+08",
            "std::vector<int> and tokio::runtime::Builder; Foo::bar; a::b",
            "mac 00:1a:2b:3c:4d:5e port :8080 ratio 10.300.1.2 oid 1.3.6.1.4.1 build 1.2.3.4.5",
            "listening on http://127.0.0.1:8000 and 0.0.0.0:9093, loopback ::1",
            "password=<redacted> token=${GITHUB_TOKEN} secret: {{ .Values.db.password }} api_key= password: ********",
            "token_ttl=3600 secret_name=db-credentials password_min_length=12 tokens_per_second=250 secret: db-credentials",
            "WWW-Authenticate: Bearer realm=\"awoooi\"; Bearer authentication is required",
            "npm @types/node@20.11.5 image@sha256:abc; noreply@ and @mention; postgres://db.internal:5432/orders",
            "order 1234567812345678 id 9999999999999999 sk-learn skip-tls AKIA ghp",
            "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUY\n-----END CERTIFICATE----- -----BEGIN PUBLIC KEY-----"})
    void leavesLookAlikesAlone(String clean) {
        assertThat(scanner.scan(clean)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"password=ghp_16C7e42F292c6912E7710c838347Ae178B4a", "token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU"})
    void theSpecificShapeWinsOverTheGenericAssignment(String text) {
        var found = scanner.scan(text);
        assertThat(found).hasSize(1);
        assertThat(found.getFirst().type()).isNotEqualTo(SecretType.GENERIC_SECRET);
    }
}
