package dev.awoooi.notify;

import java.time.Instant;

import java.util.List;

/**
 * A chat message: title, text, and the links (buttons) it carries. {@code planHash} is set on a card people decide
 * on (an approval request): a channel with buttons binds them to that exact plan; {@code expiresAt} is when that
 * request expires (a channel that can show a live countdown does).
 */
public record Card(String kind, String incidentId, String title, String text, List<Link> links, String planHash, Instant expiresAt,
                   long stage) {
    public Card {
        links = List.copyOf(links);
    }

    public Card(String kind, String incidentId, String title, String text, List<Link> links, String planHash, Instant expiresAt) {
        this(kind, incidentId, title, text, links, planHash, expiresAt, 0);
    }

    public Card(String kind, String incidentId, String title, String text, List<Link> links, String planHash) {
        this(kind, incidentId, title, text, links, planHash, null, 0);
    }

    public Card(String kind, String incidentId, String title, String text, List<Link> links) {
        this(kind, incidentId, title, text, links, null, null, 0);
    }

    /** The stage the request's card shows after this card ({@link CardRefs#advance}): a redraw never goes back. */
    public long redrawStage() {
        return updatesRequest() ? stage : CardRefs.closed(kind);
    }

    public record Link(String label, String url, String approver) {
    }

    /** The kinds after which nobody can sign the incident's request any more: its card loses its buttons. */
    private static final java.util.Set<String> CLOSING = java.util.Set.of("Approval Granted", "Approval Rejected", "Approval Expired",
            "Execution Succeeded", "Execution Failed", "Execution Voided", "Incident Recovered");

    /** Whether this card is an approval request: posted with buttons bound to {@code planHash}, and its handle kept. */
    public boolean opensRequest() {
        return "Approval Requested".equals(kind) && planHash != null && incidentId != null;
    }

    /**
     * Whether this card only redraws the request's card in place (a signature that left it awaiting more): its text
     * says where the request stands, and the buttons stay. No message of its own; none at all without a plan hash (the
     * request closed meanwhile, and its closing card redraws it).
     */
    public boolean updatesRequest() {
        return "Signature Recorded".equals(kind) && incidentId != null;
    }

    /** Whether this card ends the signing of its incident's request. */
    public boolean closesRequest() {
        return CLOSING.contains(kind);
    }
}
