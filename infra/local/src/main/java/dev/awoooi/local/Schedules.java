package dev.awoooi.local;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires each ScheduleV2 event on its expression in its time zone, and on demand. EventBridge Scheduler hands
 * the function only the schedule's Input, so that is what the function gets, parsed into a Map.
 */
public final class Schedules implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    /** One schedule of one function. */
    public record Schedule(String functionLogicalId, TemplateModel.Trigger.Schedule trigger, ScheduleExpression expression) {
    }

    private final Functions functions;
    private final Map<String, Schedule> byFunction;
    private final ScheduledExecutorService timer =
            Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("schedule-", 0).daemon().factory());

    private Schedules(List<Schedule> schedules, Functions functions) {
        this.functions = functions;
        Map<String, Schedule> first = new LinkedHashMap<>();
        schedules.forEach(s -> first.putIfAbsent(s.functionLogicalId(), s));
        this.byFunction = first;
    }

    /** Reads the template's schedules; parse errors surface here, at start. */
    static List<Schedule> of(List<TemplateModel.TemplateFunction> templateFunctions, Instant start) {
        List<Schedule> schedules = new ArrayList<>();
        for (TemplateModel.TemplateFunction function : templateFunctions) {
            for (TemplateModel.Trigger.Schedule trigger : function.triggers(TemplateModel.Trigger.Schedule.class)) {
                schedules.add(new Schedule(function.logicalId(), trigger, ScheduleExpression.parse(trigger.expression(), start)));
            }
        }
        return List.copyOf(schedules);
    }

    /** @param timed whether schedules fire on their own; on-demand runs work either way */
    static Schedules start(List<Schedule> schedules, Functions functions, boolean timed) {
        Schedules started = new Schedules(schedules, functions);
        if (timed) {
            schedules.stream().filter(s -> s.trigger().enabled()).forEach(s -> started.planNext(s, null));
        }
        return started;
    }

    /**
     * Fires a function's schedule now and returns what the function returned.
     *
     * @throws IllegalArgumentException if the function has no schedule
     */
    public Object runNow(String functionLogicalId) {
        Schedule schedule = byFunction.get(functionLogicalId);
        if (schedule == null) {
            throw new IllegalArgumentException("function " + functionLogicalId + " has no ScheduleV2 event");
        }
        return functions.invoke(functionLogicalId, input(schedule));
    }

    public boolean has(String functionLogicalId) {
        return byFunction.containsKey(functionLogicalId);
    }

    /** @param previous the instant just fired, so a timer that wakes a little early cannot fire it twice */
    private void planNext(Schedule schedule, ZonedDateTime previous) {
        ZonedDateTime now = ZonedDateTime.now(schedule.trigger().zone());
        ZonedDateTime after = previous != null && previous.isAfter(now) ? previous : now;
        Optional<ZonedDateTime> next = schedule.expression().next(after);
        if (next.isEmpty()) {
            return;
        }
        long delay = Math.max(0, Duration.between(now, next.get()).toMillis());
        log.info("{} ({}) next fires at {}", schedule.functionLogicalId(), schedule.trigger().expression(), next.get());
        timer.schedule(() -> {
            fire(schedule);
            planNext(schedule, next.get());
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void fire(Schedule schedule) {
        try {
            functions.invoke(schedule.functionLogicalId(), input(schedule));
            log.info("{} ran on schedule {}", schedule.functionLogicalId(), schedule.trigger().name());
        } catch (RuntimeException e) {
            log.error("{} failed on schedule {}", schedule.functionLogicalId(), schedule.trigger().name(), e);
        }
    }

    private static Map<String, Object> input(Schedule schedule) {
        String input = schedule.trigger().input();
        if (input == null || input.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return Json.MAPPER.readValue(input, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (IOException e) {
            throw new IllegalArgumentException("the Input of " + schedule.functionLogicalId() + "." + schedule.trigger().name()
                    + " is not a JSON object", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
