package dev.awoooi.scan;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PriceBookTest {
    @Test
    void anInstancePriceIsSplitBetweenItsCpusAndMemoryAndAddsBackUp() {
        PriceBook prices = PriceBook.defaults();
        // 4 vCPU + 16 GiB of an m6i.xlarge cost exactly its $0.192 an hour
        assertThat(4 * prices.vcpuHour("m6i.xlarge") + 16 * prices.gibHour("m6i.xlarge")).isCloseTo(0.192, within(1e-12));
        assertThat(prices.vcpuHour("no.such-type")).isEqualTo(0.031611);
    }

    @Test
    void configuredPricesReplaceTheDefaultsAndAreCaseBlind() {
        PriceBook prices = PriceBook.defaults().with(Map.of("GP3", 0.09, "default", 0.2),
                Map.of("x9.large", new PriceBook.InstanceType(0.5, 2, 8)));
        assertThat(prices.storageGiBMonth("gp3", null)).isEqualTo(0.09);
        assertThat(prices.storageGiBMonth(null, "nfs")).isEqualTo(0.2);
        assertThat(prices.instance("X9.LARGE")).isPresent();
    }

    @Test
    void theSmallerTypeIsTheCheapestOfTheFamilyThatHoldsTheNeed() {
        PriceBook prices = PriceBook.defaults();
        assertThat(prices.smallerFitting("m6i.4xlarge", 3, 10)).hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo("m6i.xlarge"));
        assertThat(prices.smallerFitting("m6i.large", 0.1, 0.1)).isEmpty();
        assertThat(prices.smallerFitting("unknown.type", 0.1, 0.1)).isEmpty();
    }

    @Test
    void nonsensePricesAreRefused() {
        assertThatThrownBy(() -> new PriceBook.InstanceType(-1, 2, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PriceBook.defaults().with(Map.of("gp3", Double.NaN), Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
