package dev.awoooi.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SlackSignatureTest {
    // Slack's worked example (docs: "Verifying requests from Slack"): secret, timestamp, body and the signature it gives.
    static final byte[] SECRET = "8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8);
    static final String TS = "1531420618";
    static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url="
            + "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    static final Instant THEN = Instant.ofEpochSecond(1531420618);

    @Test
    void slacksPublishedExampleSignsAndVerifies() {
        assertThat(SlackSignature.sign(SECRET, TS, BODY)).isEqualTo(SIGNATURE);
        assertThat(SlackSignature.refusal(SECRET, TS, SIGNATURE, BODY, THEN.plusSeconds(60))).isNull();
    }

    @Test
    void fiveMinutesEitherWayAndNotASecondMore() {
        assertThat(SlackSignature.refusal(SECRET, TS, SIGNATURE, BODY, THEN.plusSeconds(300))).isNull();
        assertThat(SlackSignature.refusal(SECRET, TS, SIGNATURE, BODY, THEN.minusSeconds(300))).isNull();
        assertThat(SlackSignature.refusal(SECRET, TS, SIGNATURE, BODY, THEN.plusSeconds(301))).contains("more than 5 minutes");
        // Slack's SDK takes a timestamp an hour in the future; this does not
        assertThat(SlackSignature.refusal(SECRET, TS, SIGNATURE, BODY, THEN.minusSeconds(3600))).contains("more than 5 minutes");
    }

    @Test
    void anyChangedByteOrAnotherSecretIsRefused() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(SlackSignature.refusal(SECRET, TS, SIGNATURE, tampered, THEN)).isEqualTo("X-Slack-Signature does not match");
        assertThat(SlackSignature.refusal("another-secret".getBytes(StandardCharsets.UTF_8), TS, SIGNATURE, BODY, THEN))
                .isEqualTo("X-Slack-Signature does not match");
        assertThat(SlackSignature.refusal(SECRET, "1531420619", SIGNATURE, BODY, THEN)).isEqualTo("X-Slack-Signature does not match");
        assertThat(SlackSignature.refusal(SECRET, null, SIGNATURE, BODY, THEN)).contains("missing");
        assertThat(SlackSignature.refusal(SECRET, "soon", SIGNATURE, BODY, THEN)).contains("not a number");
    }
}
