package dev.awoooi.config;

import dev.awoooi.SuppliedClock;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch that would outlive its invocation hands the messages it cannot finish back, instead of being killed. */
class BatchesTest {
    Instant now = Instant.parse("2026-11-21T03:12:00Z");
    final Clock clock = SuppliedClock.of(() -> now);
    final List<String> handled = new ArrayList<>();

    static SQSEvent batch(int size) {
        SQSEvent event = new SQSEvent();
        event.setRecords(IntStream.range(0, size).mapToObj(i -> {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("m" + i);
            message.setBody("body" + i);
            return message;
        }).toList());
        return event;
    }

    static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void messagesThatCouldNotFinishBeforeTheDeadlineAreLeftForRedeliveryUntouched() {
        // 60 s to live, each message may take 17 s and takes 10: five start, the sixth would risk the kill.
        var deadline = Batches.Deadline.of(clock, Duration.ofSeconds(60), Duration.ofSeconds(17));
        var response = Batches.each("notify", batch(6), deadline, body -> {
            handled.add(body);
            now = now.plusSeconds(10);
        });
        assertThat(handled).containsExactly("body0", "body1", "body2", "body3", "body4");
        assertThat(failed(response)).containsExactly("m5");
    }

    @Test
    void theFirstMessageIsAlwaysTakenAndAFailureFailsOnlyItsMessage() {
        var deadline = Batches.Deadline.of(clock, Duration.ofSeconds(30), Duration.ofSeconds(105));
        var response = Batches.each("execute", batch(2), deadline, body -> {
            handled.add(body);
            throw new IllegalStateException("boom");
        });
        assertThat(handled).containsExactly("body0");
        assertThat(failed(response)).containsExactly("m0", "m1");
    }

    @Test
    void withTimeEnoughEveryMessageIsHandled() {
        var response = Batches.each("redact", batch(10), Batches.Deadline.of(clock, Duration.ofSeconds(30), Duration.ofSeconds(5)), handled::add);
        assertThat(handled).hasSize(10);
        assertThat(failed(response)).isEmpty();
    }

    final List<List<String>> groups = new ArrayList<>();

    /** body0..body5: keys a, b, a, b, a, b by the body's number. */
    static String key(String body) {
        return Integer.parseInt(body.substring(4)) % 2 == 0 ? "a" : "b";
    }

    @Test
    void messagesOfOneKeyAreHandledTogetherInTheirOrder() {
        var response = Batches.together("redact", batch(6), Batches.Deadline.of(clock, Duration.ofSeconds(30), Duration.ofSeconds(5)),
                body -> body, BatchesTest::key, groups::add);
        assertThat(groups).containsExactly(List.of("body0", "body2", "body4"), List.of("body1", "body3", "body5"));
        assertThat(failed(response)).isEmpty();
    }

    @Test
    void aGroupThatFailsIsTriedOneByOneSoOnlyTheBadMessageFails() {
        var response = Batches.together("redact", batch(6), Batches.Deadline.of(clock, Duration.ofSeconds(30), Duration.ofSeconds(5)),
                body -> body, BatchesTest::key, group -> {
                    groups.add(group);
                    if (group.contains("body2")) {
                        throw new IllegalStateException("boom");
                    }
                });
        assertThat(groups).containsExactly(List.of("body0", "body2", "body4"), List.of("body0"), List.of("body2"), List.of("body4"),
                List.of("body1", "body3", "body5"));
        assertThat(failed(response)).containsExactly("m2");
    }

    @Test
    void aMessageThatCannotBeReadFailsAloneAndTheRestGoOn() {
        var response = Batches.together("redact", batch(4), Batches.Deadline.of(clock, Duration.ofSeconds(30), Duration.ofSeconds(5)),
                body -> {
                    if (body.equals("body1")) {
                        throw new IllegalArgumentException("not JSON");
                    }
                    return body;
                }, BatchesTest::key, groups::add);
        assertThat(groups).containsExactly(List.of("body0", "body2"), List.of("body3"));
        assertThat(failed(response)).containsExactly("m1");
    }

    @Test
    void groupsThatCouldNotFinishBeforeTheDeadlineAreLeftForRedelivery() {
        // 30 s to live, a group may take 17 s and takes 20: the first is always taken, the second would risk the kill.
        var response = Batches.together("redact", batch(4), Batches.Deadline.of(clock, Duration.ofSeconds(30), Duration.ofSeconds(17)),
                body -> body, BatchesTest::key, group -> {
                    groups.add(group);
                    now = now.plusSeconds(20);
                });
        assertThat(groups).containsExactly(List.of("body0", "body2"));
        assertThat(failed(response)).containsExactly("m1", "m3");
    }
}
