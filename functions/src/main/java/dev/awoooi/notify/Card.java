package dev.awoooi.notify;

import java.util.List;

/** A chat message: title, text, and the links (buttons) it carries. */
public record Card(String kind, String incidentId, String title, String text, List<Link> links) {
    public Card {
        links = List.copyOf(links);
    }

    public record Link(String label, String url, String approver) {
    }
}
