package dev.awoooi.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class DiscordSignatureTest {

    @Test
    void rfc8032sTestVectorsVerifyWithTheJdksEd25519() {
        // RFC 8032, 7.1, TEST 1 (empty message) and TEST 2 (one byte, 0x72)
        var key1 = DiscordSignature.publicKey("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(DiscordSignature.verifies(key1, new byte[0], "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")).isTrue();
        var key2 = DiscordSignature.publicKey("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        assertThat(DiscordSignature.verifies(key2, new byte[] {0x72}, "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")).isTrue();
        assertThat(DiscordSignature.verifies(key2, new byte[] {0x73}, "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")).isFalse();
        assertThat(DiscordSignature.verifies(key1, new byte[0], "zz")).isFalse();
    }

    @Test
    void aRequestIsDiscordsOnlyWithItsTimestampAndBodySignedAndFresh() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = pair.getPublic().getEncoded();
        var key = DiscordSignature.publicKey(HexFormat.of().formatHex(encoded, encoded.length - 32, encoded.length));
        Instant now = Instant.parse("2026-12-01T03:00:00Z");
        String ts = Long.toString(now.getEpochSecond());
        byte[] body = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
        String signature = sign(pair, ts, body);
        assertThat(DiscordSignature.refusal(key, ts, signature, body, now)).isNull();
        assertThat(DiscordSignature.refusal(key, ts, signature, "{\"type\":2}".getBytes(StandardCharsets.UTF_8), now)).contains("does not verify");
        assertThat(DiscordSignature.refusal(key, Long.toString(now.getEpochSecond() + 1), signature, body, now)).contains("does not verify");
        assertThat(DiscordSignature.refusal(key, ts, signature, body, now.plusSeconds(301))).contains("more than 5 minutes");
        assertThat(DiscordSignature.refusal(key, null, signature, body, now)).contains("missing");
    }

    static String sign(KeyPair pair, String timestamp, byte[] body) throws Exception {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(pair.getPrivate());
        ed25519.update(timestamp.getBytes(StandardCharsets.UTF_8));
        ed25519.update(body);
        return HexFormat.of().formatHex(ed25519.sign());
    }
}
