package dev.awoooi.notify;

import dev.awoooi.analysis.Analysis;
import dev.awoooi.analysis.Findings;
import dev.awoooi.approval.ApprovalLinks;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders domain events as cards. Incident text is already pseudonymized; links are made here, never carried by events. */
public final class Cards {
    /** A card shows this much of each kind of finding; the incident keeps them all. */
    static final int CARD_LINES = 5, CARD_LOG_LINES = 10;

    private final ApprovalLinks links;

    public Cards(ApprovalLinks links) {
        this.links = links;
    }

    public Card render(DomainEvent event, Incident incident) {
        return switch (event) {
            case DomainEvent.ApprovalRequested e -> approvalRequested(incident);
            // once the request is closed its closing card redraws it: a late signature card must not bring the buttons back
            case DomainEvent.SignatureRecorded e -> new Card(event.detailType(), incident.id(), "Signed: " + title(incident), standing(incident),
                    List.of(), incident.status() == IncidentStatus.AWAITING_APPROVAL ? incident.approval().planHash() : null, null,
                    CardRefs.signed(e.signed()));
            case DomainEvent.InvestigationOpened e -> card(event, incident, "Investigate: " + title(incident),
                    facts(incident) + "\nAWOOOI will not act on this: " + why(incident) + ". Nothing was changed; the incident stays open for a person "
                            + "until its alerts resolve.\n" + summary(incident.analysis()) + findings(incident.analysis()) + links(incident));
            case DomainEvent.StillFiring e -> card(event, incident, "Still firing: " + title(incident),
                    incident.status() == IncidentStatus.SUCCEEDED
                            ? "The alert fired again after " + action(incident) + " succeeded (reminder " + e.reminder()
                            + "): the fix did not clear it. Nothing more will be done automatically; a person should look."
                            : "The alert fired again (reminder " + e.reminder() + "); the investigation is open and nothing was changed: "
                            + why(incident) + "." + findings(incident.analysis()));
            case DomainEvent.InvestigationClosed e -> card(event, incident, "Closed: " + title(incident),
                    "Closed without a fix: " + e.reason() + ".");
            case DomainEvent.ApprovalGranted e -> card(event, incident, "Approved: " + title(incident),
                    (incident.approval() != null && incident.approval().requirement().count() == 0
                            ? "Risk " + incident.approval().risk() + ": no signature needed" + trust(incident.approval()) + "; executing: "
                            : "Quorum reached; executing: ") + action(incident));
            case DomainEvent.ApprovalRejected e -> card(event, incident, "Rejected: " + title(incident),
                    "Rejected by " + e.by() + ". Nothing was executed.");
            case DomainEvent.ApprovalExpired e -> card(event, incident, "Expired: " + title(incident),
                    "Nobody decided before the request expired; nothing was executed, and its links no longer work. "
                            + "If the alert still fires, a new incident asks again.");
            case DomainEvent.ExecutionSucceeded e -> card(event, incident, "Done: " + title(incident),
                    action(incident) + " succeeded and was verified: " + e.detail()
                            + ". If the alert goes on firing, AWOOOI says so here.");
            case DomainEvent.ExecutionFailed e -> card(event, incident, "FAILED: " + title(incident),
                    "Needs a person: " + e.reason());
            case DomainEvent.ExecutionVoided e -> card(event, incident, "VOIDED: " + title(incident),
                    "The cluster changed after signing; nothing was executed. " + e.reason());
            case DomainEvent.IncidentRecovered e -> card(event, incident, "Recovered: " + title(incident),
                    "Every alert resolved before anything ran; nothing was executed."
                            + (e.requestWithdrawn() ? " The approval request is withdrawn: its links no longer work." : ""));
            case DomainEvent.IncidentAnalyzed e -> card(event, incident, "Analyzed: " + title(incident), summary(incident.analysis()));
            case DomainEvent.DeadLettered e -> new Card(event.detailType(), null, "Dead letters: " + e.queue(),
                    e.newLetters() + " more message(s) in " + e.queue() + " were not processed after their retries (" + e.waiting()
                            + " waiting in all)" + (e.incidents().isEmpty() ? "" : "; incidents: " + String.join(", ", e.incidents()))
                            + ". Once the cause is fixed, redrive them: " + e.redrive(), List.of());
            case DomainEvent.CircuitBreakerTripped e -> new Card(event.detailType(), null, "Circuit breaker tripped: " + e.key(),
                    e.reason() + ". Until a person clears it, nothing of it runs without a signature. An admin clears it with: "
                            + "scripts/trust clear '" + e.key() + "' --as <admin>", List.of());
            case DomainEvent.ScanCompleted e -> new Card(event.detailType(), null, "Scan completed: " + e.scan(), scanText(e), List.of());
        };
    }

    /** A scan's card: its headline (FinOps: the waste split three ways), the top recommendations, what it could not see. */
    static String scanText(DomainEvent.ScanCompleted e) {
        StringBuilder text = new StringBuilder();
        var f = e.figures();
        if (e.scan().equals("finops") && f.containsKey("monthlyWasteUsd")) {
            double overlap = f.getOrDefault("overlapUsdPerMonth", 0.0);
            text.append(String.format(java.util.Locale.ROOT, "Monthly waste $%,.2f: realizable $%,.2f/mo, freed $%,.2f/mo%s, annual $%,.2f/yr (realizable × 12).",
                    f.get("monthlyWasteUsd"), f.getOrDefault("realizableUsdPerMonth", 0.0), f.getOrDefault("freedUsdPerMonth", 0.0),
                    overlap > 0 ? String.format(java.util.Locale.ROOT, " ($%,.2f of it on nodes to be replaced, counted once)", overlap) : "",
                    f.getOrDefault("annualUsd", 0.0)));
        } else if (e.scan().equals("capacity") && f.containsKey("nodes")) {
            text.append(String.format(java.util.Locale.ROOT, "%.0f nodes: %.0f critical, %.0f warning; highest CPU busy %.1f%%, memory used %.1f%%, disk fill %.1f%%.",
                    f.get("nodes"), f.getOrDefault("nodesCritical", 0.0), f.getOrDefault("nodesWarning", 0.0), f.getOrDefault("cpuBusyMax", 0.0) * 100,
                    f.getOrDefault("memoryUsedMax", 0.0) * 100, f.getOrDefault("diskFillMax", 0.0) * 100));
        } else {
            text.append(e.findings() == 1 ? "1 finding" : e.findings() + " findings").append(e.bySeverity().isEmpty() ? "." : " " + e.bySeverity() + ".");
        }
        if (!e.top().isEmpty()) {
            text.append(e.scan().equals("finops") ? "\nTop recommendations:" : "\nWorst findings:");
            e.top().forEach(line -> text.append("\n• ").append(line));
        }
        e.notes().forEach(note -> text.append("\nNote: ").append(note));
        return text.toString();
    }

    /**
     * The shared card: what is proposed and who is asked, never a link. Each approver's own link goes to them alone
     * ({@link #personalLink}): a link signs as its owner, so a channel's readers must never see one.
     */
    private Card approvalRequested(Incident incident) {
        var request = incident.approval();
        String asked = request.approvers().stream().map(a -> a.name() + " (" + roles(a) + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        String text = facts(incident) + "\n" + summary(incident.analysis()) + "\nRisk " + request.risk() + " ("
                + String.join("; ", incident.analysis().risk().reasons()) + "): " + request.requirement().describe() + trust(request) + ".\nAsked: " + asked
                + "; each is sent their own link privately where they can be reached (the audit says where not)."
                + (request.needsSignIn() ? " Each signs on the page, after signing in with the identity provider." : "")
                + "\nExpires " + CLOCK.format(request.expiresAt()) + "." + links(incident);
        return new Card("Approval Requested", incident.id(), "Approval needed: " + title(incident), text, List.of(), request.planHash(),
                request.expiresAt());
    }

    /** Why this many signatures, when trust weighed it: " (restart_statefulset:… trusted 7/10: 3 more …)". */
    private static String trust(dev.awoooi.approval.ApprovalRequest request) {
        return request.why() == null ? "" : " (" + request.why() + ")";
    }

    private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter.ofPattern("d MMM HH:mm 'UTC'",
            java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    /** What fired, how bad, where: the alert's name and severity, the service, the namespace of what AWOOOI would touch. */
    static String facts(Incident incident) {
        StringBuilder facts = new StringBuilder("Alert ").append(incident.alertName());
        String severity = incident.labels().get("severity");
        if (severity != null) {
            facts.append(" · severity ").append(severity);
        }
        if (incident.service() != null) {
            facts.append(" · service ").append(incident.service());
        }
        String namespace = namespace(incident);
        if (namespace != null) {
            facts.append(" · namespace ").append(namespace);
        }
        String cluster = incident.labels().get("cluster");
        if (cluster != null) {
            facts.append(" · cluster ").append(cluster);
        }
        return facts.toString();
    }

    /** The namespace an incident is about: that of what AWOOOI would touch, else the alert's; null if neither says. */
    static String namespace(Incident incident) {
        return incident.analysis() != null && incident.analysis().action().target() != null
                ? incident.analysis().action().target().namespace() : incident.labels().get("namespace");
    }

    /** The alert's own links that hold no personal data (runbook, source, silence), one per line. */
    static String links(Incident incident) {
        StringBuilder text = new StringBuilder();
        incident.links().forEach((label, url) -> text.append("\n").append(label).append(": ").append(url));
        return text.toString();
    }

    /** One approver's own message: what is proposed, what it needs, and the link that signs as them. */
    public PrivateChannel.PersonalMessage personalLink(Incident incident, dev.awoooi.approval.Approver asked) {
        var request = incident.approval();
        String text = "You are asked to approve or reject, as " + asked.name() + " (" + roles(asked) + ").\n\n"
                + facts(incident) + "\n" + summary(incident.analysis()) + "\nRisk " + request.risk() + " ("
                + String.join("; ", incident.analysis().risk().reasons()) + "): " + request.requirement().describe() + ".\nExpires "
                + CLOCK.format(request.expiresAt()) + "." + links(incident);
        return new PrivateChannel.PersonalMessage("Approval needed: " + title(incident), text,
                links.link(incident.id(), asked.name(), request.planHash()));
    }

    /** Where a request stands, for its card redrawn in place: who signed, through what, and what is left. */
    public static String standing(Incident incident) {
        String signed = incident.signatures().stream()
                .map(s -> s.approver() + " " + (s.decision() == dev.awoooi.approval.Decision.APPROVE ? "approved" : "rejected")
                        + " (" + (s.via() == null ? "?" : s.via().channel().label()) + ")")
                .collect(Collectors.joining(", "));
        return (signed.isEmpty() ? "" : "Signed: " + signed + ". ") + (incident.status() == IncidentStatus.AWAITING_APPROVAL
                ? "Still needed: " + incident.approval().requirement().describe() + "."
                : "Request " + incident.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ".");
    }

    private static String roles(dev.awoooi.approval.Approver approver) {
        return approver.roles().stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted()
                .collect(java.util.stream.Collectors.joining("+"));
    }

    private static Card card(DomainEvent event, Incident incident, String title, String text) {
        return new Card(event.detailType(), incident.id(), title, text, List.of());
    }

    private static String title(Incident incident) {
        return (incident.summary() == null ? incident.alertName() : incident.summary()) + " [" + incident.id() + "]";
    }

    private static String action(Incident incident) {
        return incident.analysis() == null ? "no action" : incident.analysis().action().describe();
    }

    private static String why(Incident incident) {
        var analysis = incident.analysis();
        return analysis == null ? "it was not analyzed" : analysis.scopeRefusal() != null ? analysis.scopeRefusal() : analysis.proposal();
    }

    /** What was looked at, as a person reads it in chat: a few lines of each kind, the log tails last. */
    static String findings(Analysis analysis) {
        Findings f = analysis == null ? null : analysis.findings();
        if (f == null) {
            return "";
        }
        StringBuilder text = new StringBuilder("\nLooked at " + f.subject() + ":");
        section(text, "Events", f.events());
        section(text, "Restarts", f.restarts());
        section(text, "Rollouts", f.rollouts());
        for (Findings.LogTail tail : f.logs()) {
            section(text, "Log of pod/" + tail.pod() + " (" + tail.container() + (tail.previous() ? ", the run that died" : "") + ")",
                    tail.lines().subList(Math.max(0, tail.lines().size() - CARD_LOG_LINES), tail.lines().size()));
        }
        section(text, "Not looked at", f.gaps());
        return text.toString();
    }

    private static void section(StringBuilder text, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            text.append("\n").append(title).append(":");
            lines.stream().limit(CARD_LINES).forEach(line -> text.append("\n  ").append(line));
        }
    }

    static String summary(Analysis analysis) {
        if (analysis == null) {
            return "";
        }
        String causes = analysis.rootCauses().isEmpty() ? "none found"
                : analysis.rootCauses().stream().map(c -> c.service() + " (" + c.kind() + ", " + c.health()
                        + (c.via() == null ? "" : ", via " + c.via()) + ")").collect(Collectors.joining(", "));
        String radius = analysis.blastRadius().stream().map(i -> i.service() + " (" + i.pods() + " pods)").collect(Collectors.joining(", "));
        return "Root cause: " + causes + ". Blast radius: " + (radius.isEmpty() ? "none" : radius)
                + String.format(". Outage cost ~$%.2f/min. Proposed: %s.", analysis.costPerMinuteUsd(), analysis.action().describe())
                + (analysis.similar() == null ? "" : " History: " + analysis.similar().summary() + ".")
                + (analysis.model() == null ? "" : " Model: " + analysis.model().summary() + ".");
    }
}
