package dev.awoooi.notify;

import java.util.List;

/**
 * A chat message: title, text, and the links (buttons) it carries. {@code planHash} is set on a card people decide
 * on (an approval request): a channel with buttons binds them to that exact plan.
 */
public record Card(String kind, String incidentId, String title, String text, List<Link> links, String planHash) {
    public Card {
        links = List.copyOf(links);
    }

    public Card(String kind, String incidentId, String title, String text, List<Link> links) {
        this(kind, incidentId, title, text, links, null);
    }

    public record Link(String label, String url, String approver) {
    }
}
