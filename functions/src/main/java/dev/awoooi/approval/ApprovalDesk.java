package dev.awoooi.approval;

import dev.awoooi.action.RiskLevel;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens approval requests with the signatures the risk needs (an investigation asks for none: it is left open for a
 * person), takes decisions, and calls the quorum. Each move it
 * writes announces itself (see {@link dev.awoooi.incident.Transition}): the request, the grant, the rejection.
 */
public final class ApprovalDesk {
    private final IncidentStore incidents;
    private final AuditLog audit;
    private final ApprovalLinks links;
    private final ApproverDirectory directory;
    private final Clock clock;
    private final Duration timeToDecide;
    private final boolean signInConfigured;
    private final Weighing weighing;

    /** How many signatures an analyzed plan needs, and why (progressive trust weighs it; without, its risk alone). */
    public interface Weighing {
        Weighed weigh(Incident analyzed);

        Weighing BY_RISK = incident -> new Weighed(SignatureRequirement.forRisk(incident.analysis().risk().level()), null);
    }

    /** @param why in words, for the card and the page; null when only the risk decided */
    public record Weighed(SignatureRequirement requirement, String why) {
    }

    public ApprovalDesk(IncidentStore incidents, AuditLog audit, ApprovalLinks links,
                        ApproverDirectory directory, Clock clock, Duration timeToDecide, boolean signInConfigured) {
        this(incidents, audit, links, directory, clock, timeToDecide, signInConfigured, Weighing.BY_RISK);
    }

    /** @param signInConfigured whether an OpenID Connect provider is configured: CRITICAL requests are signed only through it */
    public ApprovalDesk(IncidentStore incidents, AuditLog audit, ApprovalLinks links,
                        ApproverDirectory directory, Clock clock, Duration timeToDecide, boolean signInConfigured, Weighing weighing) {
        this.signInConfigured = signInConfigured;
        this.weighing = weighing;
        this.incidents = incidents;
        this.audit = audit;
        this.links = links;
        this.directory = directory;
        this.clock = clock;
        this.timeToDecide = timeToDecide;
    }

    /**
     * Called once the incident is analyzed. Redelivery of the same event is a no-op; a write lost to an alert landing
     * on the incident meanwhile is re-applied, not dropped.
     */
    public void open(String incidentId) {
        Incident incident = incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId));
        if (incident.status() != IncidentStatus.ANALYZED) {
            return;
        }
        var analysis = incident.analysis();
        if (!analysis.action().mutating()) {
            investigate(incident);
            return;
        }
        RiskLevel risk = analysis.risk().level();
        // a plan whose dry run failed is not proposed at all: it is not weighed (nor counted against the brakes)
        Weighed weighed = analysis.dryRun().passed() ? weighing.weigh(incident) : Weighing.BY_RISK.weigh(incident);
        SignatureRequirement requirement = weighed.requirement();
        // who the request asks, with the roles that count for it, as the directory says now
        List<Approver> eligible = directory.all().stream()
                .map(entry -> new Approver(entry.id(), entry.roles().stream().filter(requirement.eligible()::contains)
                        .collect(java.util.stream.Collectors.toSet())))
                .filter(a -> !a.roles().isEmpty()).toList();
        var now = clock.instant();
        ApprovalRequest request = new ApprovalRequest(risk, requirement, eligible, analysis.planHash(), now, now.plus(timeToDecide),
                weighed.why());
        Incident opened = incidents.update(incident, current -> current.status() != IncidentStatus.ANALYZED ? current
                : !analysis.dryRun().passed() ? current.moveTo(IncidentStatus.FAILED, now).withApproval(request)
                        .withReason("dry-run failed: nothing will be proposed for signature")
                : requirement.count() == 0 ? current.moveTo(IncidentStatus.APPROVED, now).withApproval(request)
                : request.needsSignIn() && !signInConfigured ? current.moveTo(IncidentStatus.FAILED, now).withApproval(request)
                        .withReason(risk + " needs signatures made after OpenID Connect sign-in, and no identity provider is configured (OidcIssuer)")
                : !request.satisfiable() ? current.moveTo(IncidentStatus.FAILED, now).withApproval(request)
                        .withReason("not enough approvers in the directory for " + risk + ": it needs " + requirement.describe())
                : current.moveTo(IncidentStatus.AWAITING_APPROVAL, now).withApproval(request));
        if (opened.approval() == null || !opened.approval().equals(request)) {
            return; // somebody else moved it on: a redelivery, or the alert resolved meanwhile
        }
        switch (opened.status()) {
            case FAILED -> {
            }
            case APPROVED -> audit.record(incidentId, "auto-approved", Map.of("risk", risk.name(), "planHash", analysis.planHash(),
                    "why", String.valueOf(weighed.why())));
            default -> audit.record(incidentId, "approval-requested", Map.of("risk", risk.name(), "required", String.valueOf(requirement.count()),
                    "why", String.valueOf(weighed.why()), "planHash", analysis.planHash()));
        }
    }

    /**
     * Nothing AWOOOI may do: no request, no execution, no "fixed". The incident stays open for a person, with what
     * the analysis looked at, until its alerts resolve.
     */
    private void investigate(Incident incident) {
        var now = clock.instant();
        AtomicBoolean openedHere = new AtomicBoolean();
        incidents.update(incident, current -> {
            openedHere.set(current.status() == IncidentStatus.ANALYZED);
            return openedHere.get() ? current.moveTo(IncidentStatus.INVESTIGATING, now) : current;
        });
        if (openedHere.get()) {
            audit.record(incident.id(), "investigation-opened", Map.of("why", incident.analysis().proposal()));
        }
    }

    public sealed interface Verdict {
        record Recorded(Incident incident, ApprovalRequest.Outcome outcome) implements Verdict {
        }

        record Refused(int status, String reason) implements Verdict {
        }
    }

    /** One person's decision through the personal link made for them (not enough for a request that needs sign-in). */
    public Verdict decide(String incidentId, String approverName, String token, Decision decision) {
        return decide(incidentId, approverName, token, decision, null);
    }

    /**
     * One person's decision through the personal link made for them, on the approval page, with the identity their
     * OpenID Connect sign-in proved (null if they did not sign in). A request that needs sign-in counts the decision
     * only if that identity is, in the directory, the person the link was made for.
     */
    public Verdict decide(String incidentId, String approverName, String token, Decision decision, Identity signedIn) {
        var found = incidents.find(incidentId);
        if (found.isEmpty() || found.get().approval() == null) {
            return new Verdict.Refused(404, "no approval request for this incident");
        }
        Incident incident = found.get();
        ApprovalRequest request = incident.approval();
        if (request.approver(approverName).isEmpty() || !links.verify(incidentId, approverName, request.planHash(), token)) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "invalid link"));
            return new Verdict.Refused(403, "this link is not valid for this approval request");
        }
        if (!request.needsSignIn()) {
            return sign(incident, approverName, new Identity(Channel.LINK, approverName), decision);
        }
        if (signedIn == null || signedIn.channel() != Channel.OIDC) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "not signed in", "approver", approverName));
            return new Verdict.Refused(401, "a " + request.risk() + " request is signed only after sign-in with the identity provider");
        }
        var person = directory.byIdentity(signedIn);
        if (person.isEmpty() || !person.get().id().equals(approverName)) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "signed in as someone else", "approver", approverName,
                    "via", signedIn.masked()));
            return new Verdict.Refused(403, "you signed in as someone other than " + approverName + ", for whom this link was made");
        }
        return sign(incident, approverName, signedIn, decision);
    }

    /**
     * One person's decision through a channel that proved who they are (a platform's signed request, an OpenID
     * Connect sign-in), on the plan they were shown: the directory says who that identity is.
     */
    public Verdict decideAs(String incidentId, Identity verified, String planHash, Decision decision) {
        return decideAs(incidentId, verified, planHash, decision, null);
    }

    /** How recent a sign-in must be for a CRITICAL signature outside the approval page (the console). */
    public static final Duration FRESH_SIGN_IN = Duration.ofMinutes(15);

    /**
     * As {@link #decideAs(String, Identity, String, Decision)}, by a person whose OpenID Connect sign-in happened at
     * {@code signedInAt}: a request that needs sign-in counts it only if that was within {@link #FRESH_SIGN_IN}.
     */
    public Verdict decideAs(String incidentId, Identity verified, String planHash, Decision decision, Instant signedInAt) {
        var found = incidents.find(incidentId);
        if (found.isEmpty() || found.get().approval() == null) {
            return new Verdict.Refused(404, "no approval request for this incident");
        }
        Incident incident = found.get();
        ApprovalRequest request = incident.approval();
        var person = directory.byIdentity(verified);
        if (person.isEmpty()) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "not in the directory", "via", verified.masked()));
            return new Verdict.Refused(403, "you are not in AWOOOI's approver directory");
        }
        if (request.approver(person.get().id()).isEmpty()) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "not asked", "approver", person.get().id(), "via", verified.masked()));
            return new Verdict.Refused(403, "this request needs " + request.requirement().describe() + "; "
                    + person.get().id() + " is not one of its approvers");
        }
        // an OpenID Connect identity the console proved by a sign-in of the last minutes counts; chat proves no sign-in
        boolean freshSignIn = verified.channel() == Channel.OIDC && signedInAt != null && !signedInAt.isBefore(clock.instant().minus(FRESH_SIGN_IN));
        if (request.needsSignIn() && !freshSignIn && verified.channel() == Channel.OIDC) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "sign-in older than 15 minutes", "approver", person.get().id()));
            return new Verdict.Refused(401, "a " + request.risk() + " request is signed only within 15 minutes of signing in: sign in again");
        }
        if (request.needsSignIn() && !freshSignIn) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "sign-in needed", "approver", person.get().id(),
                    "via", verified.channel().label()));
            return new Verdict.Refused(403, "a " + request.risk() + " request is signed only on the approval page, after sign-in"
                    + " with the identity provider; your personal link is in your direct messages or e-mail");
        }
        if (!request.planHash().equals(planHash)) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "stale plan", "approver", person.get().id()));
            return new Verdict.Refused(409, "the plan changed since this card was sent; nothing was signed");
        }
        return sign(incident, person.get().id(), verified, decision);
    }

    private Verdict sign(Incident incident, String approverName, Identity via, Decision decision) {
        String incidentId = incident.id();
        ApprovalRequest request = incident.approval();
        if (incident.status() != IncidentStatus.AWAITING_APPROVAL) {
            return new Verdict.Refused(409, "the request is no longer awaiting approval (status " + incident.status() + ")");
        }
        var now = clock.instant();
        if (now.isAfter(request.expiresAt())) {
            expire(incident, now);
            return new Verdict.Refused(410, "the approval request expired");
        }
        // Roles come from the directory: someone removed since the request opened signs nothing.
        if (directory.find(approverName).map(entry -> entry.roles().stream().noneMatch(request.requirement().eligible()::contains)).orElse(true)) {
            audit.record(incidentId, "decision-refused", Map.of("reason", "no longer an approver", "approver", approverName));
            return new Verdict.Refused(403, approverName + " is no longer an approver for this request");
        }
        // A second signer or an alert landing meanwhile makes the write lose a race: it is re-applied to what they
        // saved, so each person's signature counts once and the quorum is called once, by the write that reached it.
        Signature signature = new Signature(approverName, decision, request.planHash(), now, via);
        AtomicReference<IncidentStatus> statusSeen = new AtomicReference<>();
        AtomicBoolean signedHere = new AtomicBoolean();
        Incident stored = incidents.update(incident, current -> {
            statusSeen.set(current.status());
            signedHere.set(false);
            if (!awaiting(current, request) || current.signatures().stream().anyMatch(s -> s.approver().equals(approverName))) {
                return current;
            }
            signedHere.set(true);
            Incident signed = current.withSignature(signature, now);
            return switch (request.outcome(signed.signatures())) {
                case PENDING -> signed;
                case GRANTED -> signed.moveTo(IncidentStatus.APPROVED, now);
                case REJECTED -> signed.moveTo(IncidentStatus.REJECTED, now);
            };
        });
        if (!signedHere.get()) {
            // Deciding consumes the person's say: a second decision, by the same link or another channel, changes nothing.
            var earlier = stored.signatures().stream().filter(sig -> sig.approver().equals(approverName) && sig.planHash().equals(request.planHash()))
                    .findFirst();
            if (earlier.isPresent()) {
                audit.record(incidentId, "decision-refused", Map.of("reason", "already decided", "approver", approverName,
                        "via", via.channel().label()));
                return new Verdict.Refused(409, approverName + " already decided: " + earlier.get().decision().name().toLowerCase(java.util.Locale.ROOT)
                        + " at " + earlier.get().at() + "; a decision cannot be changed");
            }
            return new Verdict.Refused(409, "the request is no longer awaiting approval (status " + stored.status() + ")");
        }
        ApprovalRequest.Outcome outcome = request.outcome(stored.signatures());
        audit.record(incidentId, "signature", Map.of("approver", approverName, "via", via.channel().label(),
                "identity", via.masked(), "decision", decision.name(), "planHash", request.planHash()));
        switch (outcome) {
            case GRANTED -> audit.record(incidentId, "granted", Map.of("signatures", String.valueOf(stored.signatures().size()),
                    "planHash", request.planHash()));
            case REJECTED -> audit.record(incidentId, "rejected", Map.of("by", approverName, "planHash", request.planHash()));
            case PENDING -> {
            }
        }
        return new Verdict.Recorded(stored, outcome);
    }

    /** Closes the request as EXPIRED if nobody decided before its expiry; true if this call closed it. */
    public boolean expireIfDue(String incidentId) {
        Incident incident = incidents.find(incidentId).orElseThrow(() -> new IllegalStateException("no incident " + incidentId));
        Instant now = clock.instant();
        return incident.status() == IncidentStatus.AWAITING_APPROVAL && incident.approval() != null
                && now.isAfter(incident.approval().expiresAt()) && expire(incident, now);
    }

    private boolean expire(Incident incident, Instant now) {
        ApprovalRequest request = incident.approval();
        AtomicBoolean expiredHere = new AtomicBoolean();
        incidents.update(incident, current -> {
            expiredHere.set(awaiting(current, request));
            return expiredHere.get() ? current.withReason("nobody decided before the request expired at " + request.expiresAt())
                    .moveTo(IncidentStatus.EXPIRED, now) : current;
        });
        if (expiredHere.get()) {
            audit.record(incident.id(), "expired", Map.of("planHash", request.planHash(), "expiresAt", request.expiresAt().toString()));
        }
        return expiredHere.get();
    }

    private static boolean awaiting(Incident incident, ApprovalRequest request) {
        return incident.status() == IncidentStatus.AWAITING_APPROVAL && request.equals(incident.approval());
    }
}
