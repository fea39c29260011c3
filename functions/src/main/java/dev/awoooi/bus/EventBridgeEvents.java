package dev.awoooi.bus;

import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Domain events on the EventBridge bus, source "awoooi"; the template's rules route them to queues. The detail
 * carries the event's own {@code eventId} (EventBridge gives every put a new envelope id, so that one cannot tell a
 * republication from news).
 */
public final class EventBridgeEvents implements DomainEvents {
    public static final String SOURCE = "awoooi";
    public static final String EVENT_ID = "eventId";
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
        ObjectNode detail = json.valueToTree(event);
        detail.put(EVENT_ID, event.eventId());
        var response = events.putEvents(r -> r.entries(e -> e.eventBusName(bus).source(SOURCE)
                .detailType(event.detailType()).detail(json.writeValueAsString(detail))));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            var entry = response.entries().getFirst();
            throw new IllegalStateException("EventBridge refused '" + event.detailType() + "': " + entry.errorCode() + " " + entry.errorMessage());
        }
    }
}
