package dev.awoooi.bus;

import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import tools.jackson.databind.ObjectMapper;

/** Domain events on the EventBridge bus, source "awoooi"; the template's rules route them to queues. */
public final class EventBridgeEvents implements DomainEvents {
    public static final String SOURCE = "awoooi";
    private final EventBridgeClient events;
    private final String bus;
    private final ObjectMapper json;

    public EventBridgeEvents(EventBridgeClient events, String bus, ObjectMapper json) {
        this.events = events;
        this.bus = bus;
        this.json = json;
    }

    @Override
    public void publish(DomainEvent event) {
        var response = events.putEvents(r -> r.entries(e -> e.eventBusName(bus).source(SOURCE)
                .detailType(event.detailType()).detail(json.writeValueAsString(event))));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            var entry = response.entries().getFirst();
            throw new IllegalStateException("EventBridge refused '" + event.detailType() + "': " + entry.errorCode() + " " + entry.errorMessage());
        }
    }
}
