package dev.awoooi.config;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theAssistantsTokensAreNamedAndNeverPrinted() {
        Secrets secrets = Secrets.fromJson(JSON.readTree("{\"mcpTokens\":{\"claude\":\"c1aude-token-0123456789\",\"cursor\":\"curs0r-token-0123456789\"}}"));
        assertThat(secrets.mcpTokens()).containsOnlyKeys("claude", "cursor");
        assertThat(secrets.toString()).contains("claude", "cursor").doesNotContain("c1aude-token", "curs0r-token");
    }

    @Test
    void aBlankOrShortOrMissingTokenIsRefusedNotAccepted() {
        for (String tokens : new String[]{"{\"claude\":\"\"}", "{\"claude\":\"short\"}", "{\"claude\":null}", "{\"claude\":12345678901234567}"}) {
            assertThatThrownBy(() -> Secrets.fromJson(JSON.readTree("{\"mcpTokens\":" + tokens + "}"))).as(tokens)
                    .hasMessageContaining("shorter than 16 characters");
        }
        assertThatThrownBy(() -> Secrets.fromJson(JSON.readTree("{}")).mcpTokens()).hasMessageContaining("holds no mcpTokens");
    }
}
