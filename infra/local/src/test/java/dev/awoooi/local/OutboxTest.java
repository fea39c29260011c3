package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class OutboxTest {

    private final Outbox outbox = new Outbox("s3cret");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSignedDeliveryIsKeptWithItsReceiptTime() {
        byte[] body = bytes("{\"title\":\"Approval Requested\",\"link\":\"https://example.test/approvals/1\"}");

        Outbox.Receipt receipt = outbox.receive(body, Outbox.signature("s3cret", body));

        assertThat(receipt).isInstanceOf(Outbox.Receipt.Accepted.class);
        assertThat(outbox.notifications()).singleElement()
                .satisfies(n -> assertThat(n).containsEntry("title", "Approval Requested").containsKey("receivedAt"));
    }

    @Test
    void aWrongOrMissingSignatureIsRefused() {
        byte[] body = bytes("{\"title\":\"x\"}");

        assertThat(outbox.receive(body, Outbox.signature("other", body))).isInstanceOf(Outbox.Receipt.Unsigned.class);
        assertThat(outbox.receive(body, null)).isInstanceOf(Outbox.Receipt.Unsigned.class);
        assertThat(outbox.receive(bytes("{\"title\":\"y\"}"), Outbox.signature("s3cret", body))).isInstanceOf(Outbox.Receipt.Unsigned.class);
        assertThat(outbox.notifications()).isEmpty();
    }

    @Test
    void aSignedBodyThatIsNotAJsonObjectIsMalformed() {
        byte[] body = bytes("[1,2]");

        assertThat(outbox.receive(body, Outbox.signature("s3cret", body))).isInstanceOf(Outbox.Receipt.Malformed.class);
    }

    @Test
    void thePageEscapesContentAndLinksOnlyHttp() {
        byte[] body = bytes("{\"title\":\"<script>alert(1)</script>\",\"links\":[\"https://example.test/a?x=1&y=2\",\"javascript:alert(1)\"]}");
        outbox.receive(body, Outbox.signature("s3cret", body));

        String page = outbox.page();

        assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;")
                .contains("href=\"https://example.test/a?x=1&amp;y=2\"")
                .doesNotContain("href=\"javascript:");
    }
}
