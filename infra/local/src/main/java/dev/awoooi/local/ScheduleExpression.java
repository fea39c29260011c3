package dev.awoooi.local;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.scheduling.support.CronExpression;

/** An EventBridge Scheduler expression: {@code cron(...)}, {@code rate(...)} or one-time {@code at(...)}. */
public sealed interface ScheduleExpression {

    /** The first firing strictly after {@code after}, in the schedule's zone; empty once a one-time schedule is past. */
    Optional<ZonedDateTime> next(ZonedDateTime after);

    static ScheduleExpression parse(String expression, Instant start) {
        String trimmed = expression.trim();
        Matcher matcher = Pattern.compile("(cron|rate|at)\\((.*)\\)").matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a schedule expression: " + expression);
        }
        String body = matcher.group(2).trim();
        return switch (matcher.group(1)) {
            case "cron" -> new Cron(body, CronExpression.parse(springCron(body)));
            case "rate" -> Rate.parse(body, start);
            default -> new At(LocalDateTime.parse(body));
        };
    }

    /**
     * AWS cron (minutes hours day-of-month month day-of-week year, Sunday = 1) as Spring's cron (seconds first,
     * no year, Sunday = 0 or 7, Monday = 1). Names such as MON-FRI mean the same in both and pass through.
     */
    static String springCron(String awsCron) {
        String[] fields = awsCron.trim().split("\\s+");
        if (fields.length != 6) {
            throw new IllegalArgumentException("an AWS cron expression has 6 fields: " + awsCron);
        }
        if (!fields[5].equals("*") && !fields[5].equals("?")) {
            throw new IllegalArgumentException("the local scheduler cannot restrict the year: " + awsCron);
        }
        return String.join(" ", "0", fields[0], fields[1], fields[2], fields[3], springDaysOfWeek(fields[4]));
    }

    private static String springDaysOfWeek(String field) {
        StringBuilder out = new StringBuilder();
        Matcher number = Pattern.compile("(?<![#/])\\b([1-7])(?=L?\\b)").matcher(field);
        while (number.find()) {
            number.appendReplacement(out, String.valueOf(Integer.parseInt(number.group(1)) - 1));
        }
        number.appendTail(out);
        return out.toString();
    }

    record Cron(String aws, CronExpression spring) implements ScheduleExpression {
        @Override
        public Optional<ZonedDateTime> next(ZonedDateTime after) {
            return Optional.ofNullable(spring.next(after));
        }
    }

    /** Fires every {@code every}, counted from when the schedule started, as EventBridge Scheduler does. */
    record Rate(Duration every, Instant start) implements ScheduleExpression {
        static Rate parse(String body, Instant start) {
            String[] parts = body.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("rate(value unit) expected, got rate(" + body + ")");
            }
            long value = Long.parseLong(parts[0]);
            Duration every = switch (parts[1].toLowerCase(Locale.ROOT)) {
                case "minute", "minutes" -> Duration.ofMinutes(value);
                case "hour", "hours" -> Duration.ofHours(value);
                case "day", "days" -> Duration.ofDays(value);
                default -> throw new IllegalArgumentException("rate unit must be minutes, hours or days: " + body);
            };
            if (every.isZero() || every.isNegative()) {
                throw new IllegalArgumentException("a rate must be positive: " + body);
            }
            return new Rate(every, start);
        }

        @Override
        public Optional<ZonedDateTime> next(ZonedDateTime after) {
            long elapsed = Math.max(0, Duration.between(start, after.toInstant()).toMillis());
            long periods = elapsed / every.toMillis() + 1;
            return Optional.of(start.plus(every.multipliedBy(periods)).atZone(after.getZone()));
        }
    }

    /** A one-time schedule, in the schedule's time zone. */
    record At(LocalDateTime when) implements ScheduleExpression {
        @Override
        public Optional<ZonedDateTime> next(ZonedDateTime after) {
            ZonedDateTime at = when.atZone(after.getZone());
            return at.isAfter(after) ? Optional.of(at) : Optional.empty();
        }
    }
}
