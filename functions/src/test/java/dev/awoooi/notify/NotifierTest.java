package dev.awoooi.notify;

import dev.awoooi.approval.ApprovalLinks;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifierTest {
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
    final List<Card> sent = new ArrayList<>();
    RuntimeException chatDown;
    int ledgerHiccups;
    /** eventId → SETTLED or IN_PROGRESS, as the idempotency table would hold it. */
    final Map<String, CardLedger.Claim> ledger = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> audited = new ArrayList<>();
    final Incident incident = Incident.received("inc-1", "alertmanager", "fp", NOW, NOW)
            .withReason("post-verify failed").moveTo(IncidentStatus.FAILED, NOW);

    final Notifier notifier = notifier(card -> {
        if (chatDown != null) {
            throw chatDown;
        }
        sent.add(card);
    });

    Notifier notifier(ChatChannel chat) {
        return new Notifier(new Cards(new ApprovalLinks("secret-for-tests-0123456789abcd".getBytes(), "https://a.example")),
                chat,
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
        assertThat(ledger).containsEntry(failed.eventId(), CardLedger.Claim.SETTLED);
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
        ledger.put(failed.eventId(), CardLedger.Claim.IN_PROGRESS);
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ledger.put(failed.eventId(), CardLedger.Claim.SETTLED);
        });
        notifier.announce(failed, NOW.plusSeconds(60));
        assertThat(sent).isEmpty();
        assertThat(other.isAlive()).isFalse();
    }

    @Test
    void aCardAnotherDeliveryIsSendingIsLeftToItAndRetriedLaterNotSentTwice() {
        ledger.put(failed.eventId(), CardLedger.Claim.IN_PROGRESS);
        assertThatThrownBy(() -> notifier.announce(failed, NOW.plusSeconds(60))).hasMessageContaining("another delivery");
        assertThat(sent).isEmpty();
        assertThat(ledger).as("the other delivery's claim is not released by this one").containsEntry(failed.eventId(), CardLedger.Claim.IN_PROGRESS);
    }
}
