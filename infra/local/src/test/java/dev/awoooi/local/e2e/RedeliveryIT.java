package dev.awoooi.local.e2e;

import dev.awoooi.local.LocalStack;
import dev.awoooi.local.storm.Redelivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At-least-once at its worst (the 1,000-incident figures come from scripts/bench-redelivery): every queue message
 * delivered again later and out of order, every stream batch twice, and still every incident ends, none is executed
 * twice, and no event is carded twice. The reconciler does not run here, so a lost event would leave an incident stuck.
 */
class RedeliveryIT {
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(Redelivery.options(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false)
                .withRedeliveryChaos(true)));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void duplicatedAndReorderedDeliveriesChangeNothingThatPeopleOrTheClusterSee() throws Exception {
        // 60 real restarts: execute runs two at a time, as the template bounds it, each waiting for its rollout
        Redelivery.Result result = Redelivery.run(stack, 60, 8, Duration.ofMinutes(5));
        System.out.println(result.summary());

        assertThat(result.incidents()).isEqualTo(60);
        assertThat(result.notTerminal()).as("incidents left behind: an event lost").isZero();
        assertThat(result.executions()).as("each incident executed").isEqualTo(60);
        assertThat(result.doubleExecutions()).isZero();
        assertThat(result.cards()).as("two cards per incident: approved, then succeeded").isEqualTo(120);
        assertThat(result.duplicateCards()).isZero();
        assertThat(result.chaos().get("queueCopies")).as("the chaos was real").isGreaterThan(250);
        assertThat(result.chaos().get("streamRepeats")).isPositive();
    }
}
