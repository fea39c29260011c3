package dev.awoooi.topology;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceGraphTest {

    @Test
    void anEdgeSeenByTwoSourcesIsOneEdgeRememberingBoth() {
        ServiceGraph g = new ServiceGraph()
                .dependsOn("order-api", "postgres-db", EdgeSource.ANNOTATION)
                .dependsOn("order-api", "postgres-db", EdgeSource.MESH_ISTIO)
                .dependsOn("order-api", "postgres-db", EdgeSource.ANNOTATION);
        assertThat(g.edgeCount()).isEqualTo(1);
        assertThat(g.sources("order-api", "postgres-db")).containsExactlyInAnyOrder(EdgeSource.ANNOTATION, EdgeSource.MESH_ISTIO);
        assertThat(g.callers("postgres-db")).containsExactly("order-api");
        assertThat(g.edges()).singleElement().extracting(Edge::caller, Edge::callee).containsExactly("order-api", "postgres-db");
        assertThat(g.edgeCountBySource()).containsExactlyInAnyOrderEntriesOf(Map.of(EdgeSource.ANNOTATION, 1, EdgeSource.MESH_ISTIO, 1));
    }

    @Test
    void aliasesResolveToTheNodeAndCarryItsEdges() {
        ServiceGraph g = new ServiceGraph().add(ServiceNode.healthy("postgres-db", NodeKind.DATABASE, null, "1/1 ready", 1))
                .alias("postgres", "postgres-db")
                .dependsOn("order-api", "postgres", EdgeSource.ENV_VAR);
        assertThat(g.node("postgres")).map(ServiceNode::name).contains("postgres-db");
        assertThat(g.callees("order-api")).containsExactly("postgres-db");
        assertThat(g.sources("order-api", "postgres")).containsExactly(EdgeSource.ENV_VAR);
    }

    @Test
    void aSelfReferenceIsNoEdge() {
        ServiceGraph g = new ServiceGraph().dependsOn("a", "a", EdgeSource.ENV_VAR);
        assertThat(g.edgeCount()).isZero();
    }

    @Test
    void nodesFromTwoSourcesMergeKeepingTheFirstKindAndEverySignal() {
        var cluster = new ServiceNode("orders-db", NodeKind.DATABASE, null, List.of("CrashLoopBackOff"), "0/1 ready", 1);
        var declared = new ServiceNode("orders-db", NodeKind.EXTERNAL, null, List.of("alert DBDown firing"), "declared", 0);
        ServiceGraph g = new ServiceGraph().add(cluster).add(declared).signal("orders-db", "12.0% of requests failing (mesh)");
        ServiceNode merged = g.node("orders-db").orElseThrow();
        assertThat(merged.kind()).isEqualTo(NodeKind.DATABASE);
        assertThat(merged.signals()).containsExactly("CrashLoopBackOff", "alert DBDown firing", "12.0% of requests failing (mesh)");
        assertThat(merged.health()).isEqualTo("0/1 ready, CrashLoopBackOff, alert DBDown firing, 12.0% of requests failing (mesh)");
        assertThat(merged.pods()).isEqualTo(1);
    }

    @Test
    void walksPassThroughNamesNoSourceDescribed() {
        ServiceGraph g = new ServiceGraph().add(ServiceNode.healthy("a", NodeKind.SERVICE, null, "", 1))
                .add(ServiceNode.healthy("c", NodeKind.SERVICE, null, "", 1))
                .dependsOn("a", "unknown-host", EdgeSource.ENV_VAR).dependsOn("unknown-host", "c", EdgeSource.MESH_ISTIO);
        assertThat(GraphWalk.downstream(g, "a", 3)).extracting(h -> h.node().name(), Hop::depth, Hop::via)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c", 2, "unknown-host"));
    }

    @Test
    void anOptionalSourceThatFailsIsNotedAndTheRestStands() {
        TopologySource cluster = source("cluster", g -> g.add(ServiceNode.healthy("a", NodeKind.SERVICE, null, "", 1)));
        TopologySource broken = source("Prometheus mesh metrics", g -> {
            throw new IllegalStateException("HTTP 503");
        });
        ServiceGraph g = new Topology(cluster, List.of(broken)).graph();
        assertThat(g.node("a")).isPresent();
        assertThat(g.notes()).containsExactly("Prometheus mesh metrics unavailable: HTTP 503");
    }

    private static TopologySource source(String name, java.util.function.Consumer<ServiceGraph> contribution) {
        return new TopologySource() {
            public String name() {
                return name;
            }

            public void contribute(ServiceGraph graph) {
                contribution.accept(graph);
            }
        };
    }
}
