package dev.awoooi.analysis;

import dev.awoooi.topology.EdgeSource;
import dev.awoooi.topology.NodeKind;
import dev.awoooi.topology.ServiceGraph;
import dev.awoooi.topology.ServiceNode;
import dev.awoooi.topology.WorkloadRef;

import java.util.List;
import java.util.Set;

/** The seed topology: ingress → frontend → auth/product/order → postgres-db, plus cache and queue. */
final class DemoGraph {
    private DemoGraph() {
    }

    static ServiceGraph with(Set<String> unhealthy) {
        ServiceGraph g = new ServiceGraph();
        node(g, "ingress", NodeKind.INGRESS, WorkloadRef.WorkloadKind.DEPLOYMENT, unhealthy, 2);
        node(g, "frontend", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT, unhealthy, 3);
        node(g, "auth-service", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT, unhealthy, 2);
        node(g, "product-api", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT, unhealthy, 2);
        node(g, "order-api", NodeKind.SERVICE, WorkloadRef.WorkloadKind.DEPLOYMENT, unhealthy, 2);
        node(g, "postgres-db", NodeKind.DATABASE, WorkloadRef.WorkloadKind.STATEFULSET, unhealthy, 1);
        node(g, "redis-cache", NodeKind.CACHE, WorkloadRef.WorkloadKind.STATEFULSET, unhealthy, 1);
        node(g, "rabbitmq", NodeKind.QUEUE, WorkloadRef.WorkloadKind.STATEFULSET, unhealthy, 1);
        g.dependsOn("ingress", "frontend", EdgeSource.ANNOTATION);
        for (String api : new String[] {"auth-service", "product-api", "order-api"}) {
            g.dependsOn("frontend", api, EdgeSource.ANNOTATION);
            g.dependsOn(api, "postgres-db", EdgeSource.ENV_VAR);
        }
        g.dependsOn("auth-service", "redis-cache", EdgeSource.CONFIG_MAP).dependsOn("product-api", "redis-cache", EdgeSource.ANNOTATION)
                .dependsOn("order-api", "rabbitmq", EdgeSource.MESH_ISTIO);
        return g;
    }

    private static void node(ServiceGraph g, String name, NodeKind kind, WorkloadRef.WorkloadKind wk, Set<String> unhealthy, int pods) {
        boolean healthy = !unhealthy.contains(name);
        g.add(new ServiceNode(name, kind, new WorkloadRef(wk, "production", name), healthy ? List.of() : List.of("CrashLoopBackOff"),
                (healthy ? pods : 0) + "/" + pods + " ready", pods));
    }
}
