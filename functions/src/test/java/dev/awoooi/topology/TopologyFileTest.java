package dev.awoooi.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class TopologyFileTest {
    private static final String SHOP = """
            # what the cluster cannot show
            services:
              - name: orders-rds
                kind: DATABASE
                aliases: [orders.cluster-abc.eu-west-1.rds.amazonaws.com]
                costPerHourUsd: 1200
              - name: stripe-api
                kind: external
                aliases:
                  - api.stripe.com
              - name: billing-eu
                kind: Service
                dependsOn: [stripe-api]
              - name: order-api            # run by the cluster: only edges and a cost
                dependsOn: [orders-rds, api.stripe.com, billing-eu]
                costPerHourUsd: 350.5
            """;

    @Test
    void declaresTheNodesTheClusterCannotShow() {
        ServiceGraph graph = new ServiceGraph();
        TopologyFile.parse(SHOP, "topology.yaml").contribute(graph);

        assertThat(graph.node("orders-rds")).hasValueSatisfying(node -> {
            assertThat(node.kind()).isEqualTo(NodeKind.DATABASE);
            assertThat(node.workload()).isNull();
            assertThat(node.status()).isEqualTo("declared");
            assertThat(node.healthy()).isTrue();
        });
        assertThat(graph.node("stripe-api")).map(ServiceNode::kind).contains(NodeKind.EXTERNAL);
        assertThat(graph.node("billing-eu")).map(ServiceNode::kind).contains(NodeKind.SERVICE);
        assertThat(graph.node("order-api")).as("an entry without a kind describes no node").isEmpty();
    }

    @Test
    void everyDeclaredEdgeComesFromTheTopologyFile() {
        ServiceGraph graph = new ServiceGraph();
        TopologyFile.parse(SHOP, "topology.yaml").contribute(graph);

        assertThat(graph.edges()).containsExactlyInAnyOrder(
                new Edge("billing-eu", "stripe-api", Set.of(EdgeSource.TOPOLOGY_FILE)),
                new Edge("order-api", "orders-rds", Set.of(EdgeSource.TOPOLOGY_FILE)),
                new Edge("order-api", "stripe-api", Set.of(EdgeSource.TOPOLOGY_FILE)),
                new Edge("order-api", "billing-eu", Set.of(EdgeSource.TOPOLOGY_FILE)));
    }

    @Test
    void aliasesMeanTheServiceTheyAreDeclaredFor() {
        ServiceGraph graph = new ServiceGraph();
        TopologyFile.parse(SHOP, "topology.yaml").contribute(graph);

        assertThat(graph.node("orders.cluster-abc.eu-west-1.rds.amazonaws.com")).map(ServiceNode::name).contains("orders-rds");
        assertThat(graph.node("api.stripe.com")).map(ServiceNode::name).contains("stripe-api");
        assertThat(graph.callers("orders.cluster-abc.eu-west-1.rds.amazonaws.com")).containsExactly("order-api");
    }

    @Test
    void exposesTheCostOfAnHourDown() {
        TopologyFile file = TopologyFile.parse(SHOP, "topology.yaml");

        assertThat(file.costPerHourUsd()).containsExactly(entry("orders-rds", 1200.0), entry("order-api", 350.5));
    }

    @Test
    void aClusterNodeKeepsItsKindAndWorkloadWhenTheFileNamesItToo() {
        ServiceGraph graph = new ServiceGraph();
        WorkloadRef workload = new WorkloadRef(WorkloadRef.WorkloadKind.DEPLOYMENT, "production", "order-api");
        graph.add(ServiceNode.healthy("order-api", NodeKind.SERVICE, workload, "2/2 ready", 2));
        graph.dependsOn("order-api", "orders-rds", EdgeSource.ANNOTATION);
        String file = """
                services:
                  - name: order-api
                    kind: EXTERNAL
                    dependsOn: [orders-rds]
                  - name: orders-rds
                    kind: DATABASE
                """;

        TopologyFile.parse(file, "topology.yaml").contribute(graph);

        assertThat(graph.node("order-api")).hasValueSatisfying(node -> {
            assertThat(node.kind()).isEqualTo(NodeKind.SERVICE);
            assertThat(node.workload()).isEqualTo(workload);
            assertThat(node.status()).isEqualTo("2/2 ready");
            assertThat(node.pods()).isEqualTo(2);
        });
        assertThat(graph.sources("order-api", "orders-rds")).containsExactlyInAnyOrder(EdgeSource.ANNOTATION, EdgeSource.TOPOLOGY_FILE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{services: [{name: a, kind: SERVICE}, {name: b, kind: SERVICE}, {name: c, kind: DB}]}"
                    + "|topology.yaml: services[2].kind 'DB' is not one of INGRESS, SERVICE, DATABASE, CACHE, QUEUE, EXTERNAL",
            "{services: [{name: a, kind: SERVICE}, {name: a, kind: CACHE}]}|topology.yaml: services[1].name 'a' is already declared by services[0]",
            "{services: [{name: a, depends_on: [b]}]}"
                    + "|topology.yaml: services[0] has unknown key 'depends_on' (expected: name, kind, dependsOn, aliases, costPerHourUsd)",
            "{service: [{name: a, kind: SERVICE}]}|topology.yaml: unknown key 'service' (expected: services)",
            "[a, b]|topology.yaml: the document must be a mapping with a 'services' list",
            "{services: {name: a}}|topology.yaml: services must be a list",
            "{services: [a]}|topology.yaml: services[0] must be a mapping",
            "{services: [{kind: SERVICE}]}|topology.yaml: services[0].name is required",
            "{services: [{name: 42, kind: SERVICE}]}|topology.yaml: services[0].name must be a string, not a number",
            "{services: [{name: Orders_RDS, kind: DATABASE}]}|topology.yaml: services[0].name 'Orders_RDS' is not a DNS name",
            "{services: [{name: a, kind: }]}|topology.yaml: services[0].kind has no value",
            "{services: [{name: a, kind: [DATABASE]}]}|topology.yaml: services[0].kind must be a string, not a list",
            "{services: [{name: a, dependsOn: b}]}|topology.yaml: services[0].dependsOn must be a list of names, not a string",
            "{services: [{name: a, dependsOn: [b, [c]]}]}|topology.yaml: services[0].dependsOn[1] must be a string, not a list",
            "{services: [{name: a, dependsOn: [b, b]}]}|topology.yaml: services[0].dependsOn[1] 'b' is listed twice",
            "{services: [{name: a, dependsOn: [a]}]}|topology.yaml: services[0].dependsOn[0] 'a' is the service itself",
            "{services: [{name: a, kind: SERVICE, aliases: [x]}, {name: b, kind: SERVICE, aliases: [x]}]}"
                    + "|topology.yaml: services[1].aliases[0] 'x' is already declared by services[0].aliases[0]",
            "{services: [{name: a, kind: SERVICE, aliases: [b]}, {name: b, kind: SERVICE}]}"
                    + "|topology.yaml: services[0].aliases[0] 'b' is the name of services[1]",
            "{services: [{name: a, kind: SERVICE, costPerHourUsd: -5}]}|topology.yaml: services[0].costPerHourUsd -5 must be a finite number >= 0",
            "{services: [{name: a, kind: SERVICE, costPerHourUsd: .inf}]}|topology.yaml: services[0].costPerHourUsd Infinity must be a finite number >= 0",
            "{services: [{name: a, kind: SERVICE, costPerHourUsd: '1200'}]}|topology.yaml: services[0].costPerHourUsd must be a number, not a string",
            "{services: [{name: a}]}|topology.yaml: services[0] ('a') declares nothing",
            "{services: [{name: a, kind: SERVICE, kind: CACHE}]}|topology.yaml: not valid YAML",
            "`services: [{name: a`|topology.yaml: not valid YAML (line 1",
            "`---\nservices: []\n---\nservices: []`|topology.yaml: not valid YAML (line 3, column 1): expected a single document",
    })
    void refusesAMistakeNamingTheEntryAndField(String yaml, String message) {
        assertThatThrownBy(() -> TopologyFile.parse(yaml, "topology.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void refusesABillionLaughs() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                services: *i
                """;

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> TopologyFile.parse(bomb, "topology.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("topology.yaml: not valid YAML")
                .hasMessageContaining("aliases"));
    }

    @Test
    void refusesATagThatWouldInstantiateAClass() {
        String exploit = """
                services:
                  - name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/"]]]]
                    kind: SERVICE
                """;

        assertThatThrownBy(() -> TopologyFile.parse(exploit, "topology.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("topology.yaml: not valid YAML")
                .hasMessageContaining("Global tag is not allowed");
    }

    @Test
    void refusesADocumentOverAMegabyte() {
        String padded = "services: []\n# " + "x".repeat(1024 * 1024) + "\n";
        String scalar = "services: [{name: a, kind: SERVICE, aliases: [" + "b".repeat(1024 * 1024) + "]}]\n";

        for (String huge : List.of(padded, scalar)) {
            assertThatThrownBy(() -> TopologyFile.parse(huge, "topology.yaml"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("topology.yaml: larger than 1048576 characters");
        }
    }

    @Test
    void anEmptyFileDeclaresNothing() {
        ServiceGraph graph = new ServiceGraph();
        TopologyFile.parse("# nothing yet\n", "topology.yaml").contribute(graph);
        TopologyFile.parse("services: []", "topology.yaml").contribute(graph);
        TopologyFile.empty().contribute(graph);

        assertThat(graph.nodes()).isEmpty();
        assertThat(graph.edgeCount()).isZero();
        assertThat(TopologyFile.empty().costPerHourUsd()).isEmpty();
    }

    @Test
    void isNamedByWhereItCameFrom() {
        assertThat(TopologyFile.parse(SHOP, "s3://ops/topology.yaml").name()).isEqualTo("topology file s3://ops/topology.yaml");
    }
}
