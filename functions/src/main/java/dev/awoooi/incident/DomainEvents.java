package dev.awoooi.incident;

/** Port: publishes domain events to the bus. */
public interface DomainEvents {
    void publish(DomainEvent event);
}
