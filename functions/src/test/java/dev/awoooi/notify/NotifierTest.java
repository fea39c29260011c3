package dev.awoooi.notify;

import dev.awoooi.approval.ApprovalLinks;
import dev.awoooi.approval.ApprovalRequest;
import dev.awoooi.approval.Approver;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.ApproverEntry;
import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Identity;
import dev.awoooi.approval.Role;
import dev.awoooi.approval.SignatureRequirement;
import dev.awoooi.action.RiskLevel;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifierTest {
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
    static final ApprovalLinks LINKS = new ApprovalLinks("secret-for-tests-0123456789abcd".getBytes(), "https://a.example");
    static final ApproverDirectory DIRECTORY = ApproverDirectory.of(List.of(
            new ApproverEntry("ana", Set.of(Role.SRE), List.of(Identity.parse("email:ana@example.com"), Identity.parse("slack:T01/U0ANA"))),
            new ApproverEntry("bo", Set.of(Role.DEVOPS), List.of(Identity.parse("email:bo@example.com"))),
            new ApproverEntry("cy", Set.of(Role.ADMIN), List.of(Identity.parse("slack:T01/U0CY")))));
    final List<Card> sent = new ArrayList<>();
    /** What went privately, to whom; an address in mailboxDown refuses it. */
    final List<Map.Entry<String, PrivateChannel.PersonalMessage>> mailed = new ArrayList<>();
    final Set<String> mailboxDown = new java.util.HashSet<>();
    final PrivateChannel mailbox = new PrivateChannel() {
        public Channel channel() {
            return Channel.EMAIL;
        }

        public void send(Identity to, PersonalMessage message) {
            if (mailboxDown.contains(to.subject())) {
                throw new IllegalStateException("mail server said 451");
            }
            mailed.add(Map.entry(to.subject(), message));
        }
    };
    RuntimeException chatDown;
    int ledgerHiccups;
    /** eventId → SETTLED or IN_PROGRESS, as the idempotency table would hold it. */
    final Map<String, CardLedger.Claim> ledger = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> audited = new ArrayList<>();
    Incident incident = Incident.received("inc-1", "alertmanager", "fp", NOW, NOW)
            .withReason("post-verify failed").moveTo(IncidentStatus.FAILED, NOW);

    final Notifier notifier = notifier(card -> {
        if (chatDown != null) {
            throw chatDown;
        }
        sent.add(card);
    });

    Notifier notifier(ChatChannel chat) {
        return new Notifier(new Cards(LINKS), List.of(ChatRoute.all("chat", chat)), List.of(mailbox), DIRECTORY,
                new CardLedger() {
                    public Claim claim(String eventId, Instant until) {
                        Claim held = ledger.get(eventId);
                        if (held != null) {
                            return held;
                        }
                        ledger.put(eventId, Claim.IN_PROGRESS);
                        return Claim.TAKEN;
                    }

                    public void settled(String eventId, Instant keepUntil) {
                        if (ledgerHiccups-- > 0) {
                            throw new IllegalStateException("throttled");
                        }
                        ledger.put(eventId, Claim.SETTLED);
                    }

                    public void release(String eventId) {
                        ledger.remove(eventId);
                    }
                },
                new IncidentStore() {
                    public void create(Incident i) {
                    }

                    public Optional<Incident> find(String id) {
                        return Optional.of(incident).filter(i -> i.id().equals(id));
                    }

                    public void save(Incident updated, long expectedVersion) {
                    }
                },
                (subject, what, detail) -> audited.add(what + " " + detail.get("eventId")
                        + (detail.containsKey("reason") ? " because " + detail.get("reason") : "")), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMillis(400));
    }

    final DomainEvent failed = new DomainEvent.ExecutionFailed("inc-1", "post-verify failed");

    /** The ledger key of the event's card to the one channel here. */
    static String key(DomainEvent event) {
        return event.eventId() + "#chat";
    }

    Incident awaitingApproval() {
        var analysis = new dev.awoooi.analysis.Analysis(List.of(), List.of(), new dev.awoooi.action.Action.RestartDeployment("production", "api"),
                "restart api", null, null, new dev.awoooi.action.RiskAssessment(RiskLevel.HIGH, List.of("production namespace")),
                new dev.awoooi.dryrun.DryRunReport(List.of(), "fp"), null, 0, dev.awoooi.analysis.SimilarIncidents.none(),
                new dev.awoooi.analysis.TopologySummary(0, 0, Map.of(), List.of()), "plan-1", NOW);
        var request = new ApprovalRequest(RiskLevel.HIGH, SignatureRequirement.forRisk(RiskLevel.HIGH),
                List.of(new Approver("ana", Role.SRE), new Approver("bo", Role.DEVOPS), new Approver("cy", Role.ADMIN)), "plan-1", NOW, NOW.plusSeconds(3600));
        return Incident.received("inc-1", "alertmanager", "fp", NOW, NOW).moveTo(IncidentStatus.ANALYZED, NOW).withAnalysis(analysis)
                .moveTo(IncidentStatus.AWAITING_APPROVAL, NOW).withApproval(request);
    }

    @Test
    void eachApproversLinkGoesToThemAloneAndTheSharedCardCarriesNone() {
        incident = awaitingApproval();
        var requested = new DomainEvent.ApprovalRequested("inc-1", "HIGH", 2, "plan-1");
        notifier.announce(requested, NOW.plusSeconds(60));
        assertThat(sent).singleElement().satisfies(card -> {
            assertThat(card.links()).isEmpty();
            assertThat(card.text()).contains("Asked: ana (sre), bo (devops), cy (admin)", "sent their own link privately")
                    .doesNotContain("token=", "https://a.example");
        });
        assertThat(mailed).extracting(Map.Entry::getKey).containsExactly("ana@example.com", "bo@example.com");
        assertThat(mailed.get(0).getValue().link()).isEqualTo(LINKS.link("inc-1", "ana", "plan-1"));
        assertThat(mailed.get(1).getValue().link()).isEqualTo(LINKS.link("inc-1", "bo", "plan-1"));
        // cy can only be reached on Slack, which sends no private messages yet: nothing pretends otherwise
        assertThat(audited).contains("undelivered inc-1/ApprovalRequested#cy because cy has no identity on a private channel AWOOOI sends on (email)");
    }

    @Test
    void eachPartGoesOnItsOwnAndARedeliverySendsOnlyWhatDidNotGo() {
        incident = awaitingApproval();
        var requested = new DomainEvent.ApprovalRequested("inc-1", "HIGH", 2, "plan-1");
        mailboxDown.add("ana@example.com");
        chatDown = new IllegalStateException("chat is down");
        assertThatThrownBy(() -> notifier.announce(requested, NOW.plusSeconds(60))).hasMessageContaining("chat is down");
        // neither the shared card nor ana's failing held up bo's link
        assertThat(mailed).extracting(Map.Entry::getKey).containsExactly("bo@example.com");
        mailboxDown.clear();
        chatDown = null;
        notifier.announce(requested, NOW.plusSeconds(60)); // the queue's redelivery: only what did not go
        assertThat(sent).hasSize(1);
        assertThat(mailed).extracting(Map.Entry::getKey).containsExactly("bo@example.com", "ana@example.com");
    }

    @Test
    void anEventDeliveredTwiceMakesOneCard() {
        notifier.announce(failed, NOW.plusSeconds(60));
        notifier.announce(failed, NOW.plusSeconds(60));
        assertThat(sent).singleElement().satisfies(c -> assertThat(c.title()).startsWith("FAILED: "));
        assertThat(audited).containsExactly("notified inc-1/ExecutionFailed");
    }

    @Test
    void withNoChatConfiguredEachCardIsAuditedAsUndeliveredWithWhyNeverAsNotified() {
        Notifier nowhere = notifier(ChatChannel.none("no chat channel is configured"));
        nowhere.announce(failed, NOW.plusSeconds(60));
        nowhere.announce(failed, NOW.plusSeconds(60)); // a redelivery: audited once
        assertThat(sent).isEmpty();
        assertThat(audited).containsExactly("undelivered inc-1/ExecutionFailed because no chat channel is configured");
    }

    @Test
    void aCardThatWentOutIsRecordedEvenThroughAHiccupSoItsRedeliveryDoesNotSendItAgain() {
        ledgerHiccups = 2;
        notifier.announce(failed, NOW.plusSeconds(60));
        notifier.announce(failed, NOW.plusSeconds(60));
        assertThat(sent).hasSize(1);
        assertThat(ledger).containsEntry(key(failed), CardLedger.Claim.SETTLED);
    }

    @Test
    void aCardTheChatRefusedIsGivenBackAndSentOnTheNextDelivery() {
        chatDown = new IllegalStateException("chat answered 503");
        assertThatThrownBy(() -> notifier.announce(failed, NOW.plusSeconds(60))).hasMessageContaining("503");
        assertThat(ledger).isEmpty();
        chatDown = null;
        notifier.announce(failed, NOW.plusSeconds(60));
        assertThat(sent).hasSize(1);
    }

    @Test
    void aDeliveryThatMeetsAnotherOneCardingTheSameEventWaitsForItAndSendsNothing() {
        ledger.put(key(failed), CardLedger.Claim.IN_PROGRESS);
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ledger.put(key(failed), CardLedger.Claim.SETTLED);
        });
        notifier.announce(failed, NOW.plusSeconds(60));
        assertThat(sent).isEmpty();
        assertThat(other.isAlive()).isFalse();
    }

    @Test
    void aCardAnotherDeliveryIsSendingIsLeftToItAndRetriedLaterNotSentTwice() {
        ledger.put(key(failed), CardLedger.Claim.IN_PROGRESS);
        assertThatThrownBy(() -> notifier.announce(failed, NOW.plusSeconds(60))).hasMessageContaining("another delivery");
        assertThat(sent).isEmpty();
        assertThat(ledger).as("the other delivery's claim is not released by this one").containsEntry(key(failed), CardLedger.Claim.IN_PROGRESS);
    }

    @Test
    void eachChannelTakesTheIncidentsItsRouteSaysAndOneThatIsDownHoldsUpNoOther() {
        incident = awaitingApproval();
        var requested = new DomainEvent.ApprovalRequested("inc-1", "HIGH", 2, "plan-1");
        List<String> delivered = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean slackDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        ChatChannel slack = card -> {
            if (slackDown.get()) {
                throw new IllegalStateException("slack answered 503");
            }
            delivered.add("slack " + card.kind());
        };
        ChatChannel telegram = card -> delivered.add("telegram " + card.kind());
        ChatChannel critical = card -> delivered.add("critical-only " + card.kind());
        ChatChannel payments = card -> delivered.add("payments-only " + card.kind());
        Notifier routed = new Notifier(new Cards(LINKS), List.of(ChatRoute.all("slack", slack), ChatRoute.all("telegram", telegram),
                new ChatRoute("discord", critical, dev.awoooi.action.RiskLevel.CRITICAL, Set.of()),
                new ChatRoute("webhook", payments, dev.awoooi.action.RiskLevel.LOW, Set.of("payments"))), List.of(), DIRECTORY,
                new CardLedger() {
                    public Claim claim(String eventId, Instant until) {
                        return ledger.putIfAbsent(eventId, Claim.IN_PROGRESS) == null ? Claim.TAKEN : ledger.get(eventId);
                    }

                    public void settled(String eventId, Instant keepUntil) {
                        ledger.put(eventId, Claim.SETTLED);
                    }

                    public void release(String eventId) {
                        ledger.remove(eventId);
                    }
                }, new IncidentStore() {
                    public void create(Incident i) {
                    }

                    public Optional<Incident> find(String id) {
                        return Optional.of(incident);
                    }

                    public void save(Incident updated, long expectedVersion) {
                    }
                }, (subject, what, detail) -> { }, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(400));
        assertThatThrownBy(() -> routed.announce(requested, NOW.plusSeconds(60))).hasMessageContaining("slack answered 503");
        assertThat(delivered).containsExactly("telegram Approval Requested");
        slackDown.set(false);
        routed.announce(requested, NOW.plusSeconds(60)); // the redelivery: Slack only
        assertThat(delivered).containsExactly("telegram Approval Requested", "slack Approval Requested");
    }

    @Test
    void aRoutingSpecIsReadOrRefusedWithTheReason() {
        assertThat(ChatRoute.parse("slack=HIGH; telegram=low:production,payments;")).containsExactly(
                Map.entry("slack", new ChatRoute.Rule(dev.awoooi.action.RiskLevel.HIGH, Set.of())),
                Map.entry("telegram", new ChatRoute.Rule(dev.awoooi.action.RiskLevel.LOW, Set.of("production", "payments"))));
        assertThat(ChatRoute.parse("")).isEmpty();
        assertThatThrownBy(() -> ChatRoute.parse("slak=HIGH")).hasMessageContaining("unknown channel 'slak'");
        assertThatThrownBy(() -> ChatRoute.parse("slack=URGENT")).hasMessageContaining("'URGENT' is not LOW, MEDIUM, HIGH or CRITICAL");
        assertThatThrownBy(() -> ChatRoute.parse("slack")).hasMessageContaining("not channel=RISK");
        assertThatThrownBy(() -> ChatRoute.parse("slack=LOW;slack=HIGH")).hasMessageContaining("twice");
    }
}
