package dev.awoooi.config;

import dev.awoooi.SuppliedClock;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretStoreTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T00:00:00Z"));
    final Clock clock = SuppliedClock.of(() -> now.get());
    final AtomicInteger reads = new AtomicInteger();
    final AtomicReference<String> token = new AtomicReference<>("token-1");
    final AtomicReference<RuntimeException> outage = new AtomicReference<>();
    final SecretStore store = new SecretStore(() -> {
        reads.incrementAndGet();
        if (outage.get() != null) {
            throw outage.get();
        }
        return new Secrets(token.get(), null, new byte[16], new byte[16], new byte[16], null, Secrets.Kubeconfigs.NONE, null, null, Secrets.Chat.NONE, null, null, null);
    }, Duration.ofMinutes(5), clock);

    @Test
    void nothingIsReadBeforeTheFirstUse() {
        assertThat(reads).hasValue(0);
        assertThat(store.current().webhookToken()).isEqualTo("token-1");
        assertThat(reads).hasValue(1);
    }

    @Test
    void aRotationIsSeenOnceTheTimeToLiveHasPassedAndNotBefore() {
        store.current();
        token.set("token-2");
        now.set(now.get().plus(Duration.ofMinutes(5).minusSeconds(1)));
        assertThat(store.current().webhookToken()).isEqualTo("token-1");
        now.set(now.get().plusSeconds(1));
        assertThat(store.current().webhookToken()).isEqualTo("token-2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedRefreshKeepsTheSecretsInHandForAGracePeriodThenTriesAgain() {
        store.current();
        outage.set(new IllegalStateException("Secrets Manager unavailable"));
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertThat(store.current().webhookToken()).isEqualTo("token-1");
        assertThat(store.current().webhookToken()).as("no second call within the grace period").isEqualTo("token-1");
        assertThat(reads).hasValue(2);
        outage.set(null);
        token.set("token-2");
        now.set(now.get().plus(SecretStore.GRACE_AFTER_FAILED_REFRESH));
        assertThat(store.current().webhookToken()).isEqualTo("token-2");
    }

    @Test
    void withNothingInHandAFailureIsTheCallers() {
        outage.set(new IllegalStateException("Secrets Manager unavailable"));
        assertThatThrownBy(store::current).hasMessage("Secrets Manager unavailable");
    }

    @Test
    void forgettingMakesTheNextUseReadAgain() {
        store.current();
        token.set("token-2");
        store.forget();
        assertThat(store.current().webhookToken()).isEqualTo("token-2");
    }
}
