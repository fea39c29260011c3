package dev.awoooi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {

    private static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");

    @Test
    void awsCronGainsSecondsAndLosesTheYear() {
        assertThat(ScheduleExpression.springCron("0 1 * * ? *")).isEqualTo("0 0 1 * * ?");
        assertThat(ScheduleExpression.springCron("5 * * * ? *")).isEqualTo("0 5 * * * ?");
    }

    @Test
    void awsDayOfWeekNumbersStartOnSunday() {
        assertThat(ScheduleExpression.springCron("0 9 ? * 2-6 *")).isEqualTo("0 0 9 ? * 1-5");
        assertThat(ScheduleExpression.springCron("0 9 ? * 1,7 *")).isEqualTo("0 0 9 ? * 0,6");
        assertThat(ScheduleExpression.springCron("0 9 ? * 6L *")).isEqualTo("0 0 9 ? * 5L");
        assertThat(ScheduleExpression.springCron("0 9 ? * 3#2 *")).isEqualTo("0 0 9 ? * 2#2");
        assertThat(ScheduleExpression.springCron("0 9 ? * MON-FRI *")).isEqualTo("0 0 9 ? * MON-FRI");
    }

    @Test
    void aYearRestrictionIsRefused() {
        assertThatThrownBy(() -> ScheduleExpression.springCron("0 9 * * ? 2030")).hasMessageContaining("year");
    }

    @Test
    void cronFiresInItsTimeZone() {
        ScheduleExpression nightly = ScheduleExpression.parse("cron(0 1 * * ? *)", Instant.now());
        ZonedDateTime afterMidnightInTaipei = ZonedDateTime.of(2025, 3, 10, 0, 30, 0, 0, TAIPEI);

        assertThat(nightly.next(afterMidnightInTaipei)).contains(ZonedDateTime.of(2025, 3, 10, 1, 0, 0, 0, TAIPEI));
    }

    @Test
    void weekdaysMeanMondayToFriday() {
        ScheduleExpression weekdays = ScheduleExpression.parse("cron(0 9 ? * 2-6 *)", Instant.now());
        ZonedDateTime saturday = ZonedDateTime.of(2025, 3, 15, 10, 0, 0, 0, TAIPEI);

        assertThat(weekdays.next(saturday)).contains(ZonedDateTime.of(2025, 3, 17, 9, 0, 0, 0, TAIPEI));
    }

    @Test
    void rateCountsFromTheStart() {
        Instant start = Instant.parse("2025-03-10T00:00:00Z");
        ScheduleExpression everyFive = ScheduleExpression.parse("rate(5 minutes)", start);

        assertThat(everyFive.next(ZonedDateTime.parse("2025-03-10T00:07:00Z")))
                .contains(ZonedDateTime.parse("2025-03-10T00:10:00Z"));
    }

    @Test
    void aOneTimeScheduleFiresOnce() {
        ScheduleExpression once = ScheduleExpression.parse("at(2025-03-10T09:00:00)", Instant.now());

        assertThat(once.next(ZonedDateTime.of(2025, 3, 10, 8, 0, 0, 0, TAIPEI))).contains(ZonedDateTime.of(2025, 3, 10, 9, 0, 0, 0, TAIPEI));
        assertThat(once.next(ZonedDateTime.of(2025, 3, 10, 9, 0, 0, 0, TAIPEI))).isEmpty();
    }
}
