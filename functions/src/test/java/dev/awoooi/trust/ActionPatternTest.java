package dev.awoooi.trust;

import dev.awoooi.action.Action;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActionPatternTest {

    @Test
    void generatedSuffixesAreStrippedSoEveryPodOfAWorkloadIsOnePattern() {
        assertThat(key(new Action.DeletePod("production", "frontend-7d9c8b6f5-x2x9k"))).isEqualTo("delete_pod:production/frontend-*@prod");
        assertThat(key(new Action.DeletePod("production", "frontend-5f7b9c4d68-zq4wt"))).isEqualTo("delete_pod:production/frontend-*@prod");
        assertThat(key(new Action.EvictPod("production", "postgres-db-0"))).isEqualTo("evict_pod:production/postgres-db-*@prod");
        assertThat(key(new Action.DeletePod("production", "node-exporter-q8x2z"))).isEqualTo("delete_pod:production/node-exporter-*@prod");
        assertThat(key(new Action.DeletePvc("production", "data-postgres-db-2"))).isEqualTo("delete_pvc:production/data-postgres-db-*@prod");
    }

    @Test
    void namesPeopleChoseStayAsTheyAre() {
        assertThat(key(new Action.RestartStatefulSet("production", "postgres-db"))).isEqualTo("restart_statefulset:production/postgres-db@prod");
        assertThat(key(new Action.RestartDeployment("production", "order-api-2"))).isEqualTo("restart_deployment:production/order-api-2@prod");
        // a pod whose last part is a word, not a generated suffix
        assertThat(key(new Action.DeletePod("production", "payments-api"))).isEqualTo("delete_pod:production/payments-api@prod");
        assertThat(key(new Action.CordonNode("ip-10-0-1-23.ec2.internal"))).isEqualTo("cordon_node:ip-10-0-1-23.ec2.internal@prod");
    }

    @Test
    void theSameActionInAnotherClusterOrNamespaceIsAnotherPattern() {
        var action = new Action.RestartStatefulSet("production", "postgres-db");
        assertThat(ActionPattern.of(action, "eu").orElseThrow().key()).isNotEqualTo(ActionPattern.of(action, "us").orElseThrow().key());
        assertThat(key(new Action.RestartStatefulSet("staging", "postgres-db"))).isNotEqualTo(key(action));
    }

    @Test
    void anInvestigationOrATargetBehindAPseudonymHasNoPattern() {
        assertThat(ActionPattern.of(new Action.Investigate("frontend", "no target"), "prod")).isEmpty();
        assertThat(ActionPattern.of(new Action.DeletePod("production", "[EMAIL_1]"), "prod")).isEmpty();
        assertThat(ActionPattern.of(new Action.DeletePod("[IP_1]", "frontend-1"), "prod")).isEmpty();
    }

    private static String key(Action action) {
        return ActionPattern.of(action, "prod").orElseThrow().key();
    }
}
