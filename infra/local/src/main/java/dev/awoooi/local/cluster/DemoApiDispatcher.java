package dev.awoooi.local.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awoooi.local.cluster.RbacPolicy.AccessDecision;
import dev.awoooi.local.cluster.RbacPolicy.AccessRequest;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's CRUD dispatcher with the behaviour of a real API server where our product depends on it: callers are
 * authenticated by bearer token, every request and SelfSubjectAccessReview is authorized by the RBAC manifest and every
 * write admitted by its ValidatingAdmissionPolicies (dry runs included, as the API server does), dry runs are validated
 * but not stored, merge patches follow RFC 7386, strategic merge patch is refused explicitly, evictions answer to
 * PodDisruptionBudgets, pods can be listed by node (field selector spec.nodeName), and pod logs and /version answer.
 * A request without a token is the demo's operator (its seed, its controllers, a developer's kubectl): cluster-admin,
 * as the admin kubeconfig of a kind or minikube cluster is.
 */
final class DemoApiDispatcher extends KubernetesCrudDispatcher {

    /** The mock stamps creationTimestamp with "now" on create; this annotation lets demo objects be older. */
    static final String CREATED_AT = "awoooi.dev/created-at";

    private static final Logger log = LoggerFactory.getLogger(DemoApiDispatcher.class);
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final Pattern POD_LOG = Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/]+/log");
    private static final Pattern EVICTION = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/eviction");
    private static final Pattern POD_LIST = Pattern.compile("/api/v1(/namespaces/[^/]+)?/pods");
    // /api/v1/... or /apis/<group>/<version>/..., then [namespaces/<ns>/]<resource>[/<name>[/<subresource>]]
    private static final Pattern RESOURCE_PATH = Pattern.compile("/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?(?:/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?)?");
    private static final Pattern NODE_NAME_FIELD = Pattern.compile("spec\\.nodeName(==|=|!=)(.*)");
    // The API server's own wording: clients (kubectl drain among them) recognise a budget refusal by it.
    static final String BUDGET_REFUSAL = "Cannot evict pod as it would violate the pod's disruption budget.";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";
    /** Server-side apply: the body is the fields the applier owns, in YAML (or JSON, which is YAML). */
    private static final String APPLY_PATCH = "application/apply-patch+yaml";

    private final ObjectMapper json = new ObjectMapper();
    /** What {@code identityByToken} maps the operator's own token to: the demo's controllers hold it. */
    static final String OPERATOR = "";

    private final RbacPolicy rbac;
    private final AdmissionPolicies admission;
    private final Map<String, String> identityByToken;
    // A patch is read, applied and written back as an update; serialising all writes keeps that atomic.
    private final ReentrantLock writes = new ReentrantLock();

    /**
     * @param identityByToken each bearer token the server accepts and the user name it authenticates
     *     ({@code system:serviceaccount:<namespace>:<name>}, or {@link #OPERATOR})
     */
    DemoApiDispatcher(RbacPolicy rbac, AdmissionPolicies admission, Map<String, String> identityByToken) {
        this.rbac = rbac;
        this.admission = admission;
        this.identityByToken = Map.copyOf(identityByToken);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String resourcePath = query < 0 ? path : path.substring(0, query);
        List<String> parameters = query < 0 ? List.of() : Arrays.asList(path.substring(query + 1).split("&"));
        boolean dryRun = parameters.contains("dryRun=All");
        try {
            String authorization = request.getHeader("Authorization");
            String identity = null;
            if (authorization != null) {
                identity = authorization.startsWith("Bearer ") ? identityByToken.get(authorization.substring(7).trim()) : null;
                if (identity == null) {
                    return status(401, "Unauthorized", "Unauthorized");
                }
                if (identity.equals(OPERATOR)) {
                    identity = null;
                } else {
                    MockResponse refused = authorize(identity, request, resourcePath, parameters, dryRun);
                    if (refused != null) {
                        return refused;
                    }
                }
            }
            // discovery is every authenticated client's (system:discovery), before any resource is named
            String discovery = request.method() == HttpMethod.GET ? Discovery.document(resourcePath) : null;
            if (discovery != null) {
                return respond(200, json.readTree(discovery));
            }
            if (request.method() == HttpMethod.GET && resourcePath.matches("/apis/[^/]+/[^/]+")) {
                // a group version nobody installed: a real API server answers 404 (the mock would answer an empty list)
                return respond(404, json.readTree("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"));
            }
            if (resourcePath.equals(ACCESS_REVIEWS) && request.method() == HttpMethod.POST) {
                return review(identity, new String(request.getBody().getBytes(), UTF_8));
            }
            return switch (request.method()) {
                case GET -> read(request, resourcePath);
                case POST, PUT, PATCH, DELETE -> {
                    writes.lock();
                    try {
                        yield write(request, resourcePath, dryRun);
                    } finally {
                        writes.unlock();
                    }
                }
                default -> super.dispatch(request);
            };
        } catch (IOException e) {
            return status(400, "BadRequest", "cannot parse request body: " + e.getMessage());
        } catch (JsonPatchException e) {
            return status(422, "Invalid", "the JSON patch cannot be applied: " + e.getMessage());
        } catch (RuntimeException e) {
            // Unanswered, the client would hang until its read timeout instead of seeing the failure.
            log.warn("demo API server failed on {} {}", request.method(), path, e);
            return status(500, "InternalError", e.toString());
        }
    }

    private MockResponse read(RecordedRequest request, String resourcePath) throws IOException {
        if (resourcePath.equals("/version")) {
            return respond(200, json.readTree("""
                    {"major":"1","minor":"31","gitVersion":"v1.31.0+awoooi-demo","gitCommit":"awoooi-demo",
                     "gitTreeState":"clean","buildDate":"2024-08-13T07:28:49Z","goVersion":"go1.22.5",
                     "compiler":"gc","platform":"linux/amd64"}"""));
        }
        if (POD_LIST.matcher(resourcePath).matches() && request.getPath().contains("fieldSelector=")
                && !request.getPath().contains("watch=true")) {
            return podsByNode(request.getPath(), resourcePath);
        }
        if (POD_LOG.matcher(resourcePath).matches()) {
            String podPath = resourcePath.substring(0, resourcePath.length() - "/log".length());
            JsonNode pod = stored(podPath);
            return pod == null ? notFound(podPath) : new MockResponse().setResponseCode(200)
                    .setHeader("Content-Type", "text/plain").setBody(DemoTopology.logOf(pod));
        }
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("as=PartialObjectMetadataList")) {
            return metadataOnly(super.dispatch(request));
        }
        return super.dispatch(request);
    }

    /**
     * A list as the API server serves it to a client that asks for {@code as=PartialObjectMetadataList}: each item's
     * metadata, nothing of its spec, status or data (a Secret's values never leave the server).
     */
    private MockResponse metadataOnly(MockResponse full) throws IOException {
        if (full.code() != 200) {
            return full;
        }
        JsonNode list = json.readTree(full.getBody().readUtf8());
        ObjectNode partial = json.createObjectNode().put("apiVersion", "meta.k8s.io/v1").put("kind", "PartialObjectMetadataList");
        partial.set("metadata", list.path("metadata"));
        ArrayNode items = partial.putArray("items");
        list.path("items").forEach(item -> items.addObject().put("apiVersion", "meta.k8s.io/v1").put("kind", "PartialObjectMetadata")
                .set("metadata", item.path("metadata")));
        return respond(200, partial);
    }

    private MockResponse write(RecordedRequest request, String resourcePath, boolean dryRun) throws IOException {
        String body = new String(request.getBody().getBytes(), UTF_8);
        String contentType = request.getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        HttpMethod method = request.method();
        Matcher eviction = EVICTION.matcher(resourcePath);
        if (method == HttpMethod.POST && eviction.matches()) {
            return evict(eviction.group(1), eviction.group(2), body, dryRun);
        }
        if (method == HttpMethod.PATCH && mediaType.equals(APPLY_PATCH)) {
            // Server-side apply of an object that exists, as the demo can: the applied fields merged in (ownership and
            // conflicts are not tracked; force=true, which kubernetes-mcp-server sends, would take them over anyway).
            body = json.writeValueAsString(json.valueToTree(new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                    new org.yaml.snakeyaml.LoaderOptions())).load(body)));
            mediaType = MERGE_PATCH;
            if (stored(withoutStatus(resourcePath)) == null) {
                return status(404, "NotFound", "the demo API server applies to objects that exist; create " + resourcePath + " first");
            }
        }
        if (method == HttpMethod.PATCH && !mediaType.equals(MERGE_PATCH) && !mediaType.equals(JSON_PATCH)) {
            return status(415, "UnsupportedMediaType", "patch type " + mediaType
                    + " is not supported by the demo API server; use a JSON merge patch (" + MERGE_PATCH + ") or server-side apply ("
                    + APPLY_PATCH + ")");
        }
        if (dryRun) {
            return dryRun(method, resourcePath, mediaType, body);
        }
        if (method == HttpMethod.PATCH) {
            return patch(resourcePath, mediaType, body);
        }
        MockResponse response = super.dispatch(request);
        return method == HttpMethod.POST ? backdated(response, resourcePath) : response;
    }

    /** Answers as the API server would with dryRun=All: the same checks and result, nothing stored. */
    private MockResponse dryRun(HttpMethod method, String resourcePath, String mediaType, String body)
            throws IOException {
        log.debug("dry run {} {}", method, resourcePath);
        if (method == HttpMethod.POST) {
            JsonNode object = json.readTree(body);
            String name = object.path("metadata").path("name").asText();
            if (!name.isEmpty() && stored(resourcePath + "/" + name) != null) {
                return status(409, "AlreadyExists", "%s \"%s\" already exists".formatted(plural(resourcePath), name));
            }
            return respond(201, object);
        }
        String objectPath = withoutStatus(resourcePath);
        JsonNode current = stored(objectPath);
        if (current == null) {
            return notFound(objectPath);
        }
        return switch (method) {
            case PATCH -> respond(200, patched(current, mediaType, body));
            case PUT -> respond(200, json.readTree(body));
            default -> respond(200, current);
        };
    }

    /**
     * Applies the patch here and stores the result through the mock's own update path: its patch handler merges
     * with Jackson's updating reader (arrays appended, nulls stored) and answers 202 where the API server says 200.
     */
    private MockResponse patch(String resourcePath, String mediaType, String body) throws IOException {
        String objectPath = withoutStatus(resourcePath);
        JsonNode current = stored(objectPath);
        if (current == null) {
            return notFound(objectPath);
        }
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, resourcePath, headers,
                new Buffer(json.writeValueAsBytes(patched(current, mediaType, body)))));
    }

    private JsonNode patched(JsonNode current, String mediaType, String body) throws IOException {
        return mediaType.equals(JSON_PATCH)
                ? JsonPatch.apply(json.readTree(body), current)
                : MergePatch.apply(current, json.readTree(body));
    }

    private MockResponse backdated(MockResponse created, String collectionPath) throws IOException {
        if (created.code() != 201) {
            return created;
        }
        JsonNode object = json.readTree(created.getBody().getBytes());
        String createdAt = object.path("metadata").path("annotations").path(CREATED_AT).asText();
        if (createdAt.isEmpty()) {
            return created;
        }
        ((ObjectNode) object.get("metadata")).put("creationTimestamp", createdAt);
        Map.Entry<AttributeSet, String> entry =
                findResource(getKey(collectionPath + "/" + object.path("metadata").path("name").asText()));
        map.put(entry.getKey(), json.writeValueAsString(object));
        return respond(201, object);
    }

    /**
     * The Eviction API as the API server implements it (pkg/registry/core/pod/storage/eviction.go): the budget
     * covering the pod decides. An unready pod may go while its budget is met (or its policy is AlwaysAllow);
     * otherwise a budget with no disruption left refuses with 429, and an accepted eviction takes one disruption
     * from the budget (so a second eviction before the disruption controller recounts is refused) and deletes
     * the pod the way a DELETE does, leaving its controller to replace it. A dry run checks without taking.
     */
    private MockResponse evict(String namespace, String name, String body, boolean dryRunQuery) throws IOException {
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
        JsonNode pod = stored(podPath);
        if (pod == null) {
            return notFound(podPath);
        }
        JsonNode eviction = body.isBlank() ? json.createObjectNode() : json.readTree(body);
        String named = eviction.path("metadata").path("name").asText("");
        if (!named.isEmpty() && !named.equals(name)) {
            return status(400, "BadRequest", "name in URL does not match name in Eviction object");
        }
        boolean dryRun = dryRunQuery || contains(eviction.path("deleteOptions").path("dryRun"), "All");
        String phase = pod.path("status").path("phase").asText();
        // As the API server: a pod that is not running (or already going) disrupts nobody, so no budget is consulted.
        boolean ignoreBudgets = phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                || pod.path("metadata").hasNonNull("deletionTimestamp");
        List<JsonNode> budgets = ignoreBudgets ? List.of() : budgetsCovering(namespace, pod.path("metadata").path("labels"));
        if (budgets.size() > 1) {
            return status(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        if (!budgets.isEmpty()) {
            JsonNode budget = budgets.getFirst();
            JsonNode budgetStatus = budget.path("status");
            int healthy = budgetStatus.path("currentHealthy").asInt(0);
            int desired = budgetStatus.path("desiredHealthy").asInt(0);
            boolean unhealthyMayGo = !ready(pod) && ("AlwaysAllow".equals(budget.path("spec").path("unhealthyPodEvictionPolicy").asText())
                    || healthy >= desired && desired > 0);
            if (!unhealthyMayGo) {
                String budgetName = budget.path("metadata").path("name").asText();
                if (budgetStatus.path("observedGeneration").asLong(0) < budget.path("metadata").path("generation").asLong(0)) {
                    return budgetRefusal(budgetName, "The disruption budget %s has not been recounted since it changed".formatted(budgetName));
                }
                int allowed = budgetStatus.path("disruptionsAllowed").asInt(0);
                if (allowed < 0) {
                    return status(403, "Forbidden", "poddisruptionbudgets.policy \"%s\" is forbidden: pdb disruptions allowed is negative"
                            .formatted(budgetName));
                }
                if (allowed == 0) {
                    return budgetRefusal(budgetName, "The disruption budget %s needs %d healthy pods and has %d currently"
                            .formatted(budgetName, desired, healthy));
                }
                if (!dryRun) {
                    ObjectNode taken = budget.deepCopy();
                    ObjectNode takenStatus = taken.withObjectProperty("status");
                    takenStatus.put("disruptionsAllowed", allowed - 1);
                    takenStatus.withObjectProperty("disruptedPods").put(name, RolloutController.now());
                    MockResponse recorded = handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT,
                            "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets/" + budgetName + "/status",
                            Headers.builder().add("Content-Type", "application/json").build(), new Buffer(json.writeValueAsBytes(taken))));
                    if (recorded.code() != 200) {
                        return recorded;
                    }
                }
            }
        }
        if (!dryRun) {
            MockResponse deleted = handleDelete(podPath);
            if (deleted.code() != 200) {
                return deleted;
            }
        }
        ObjectNode success = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        success.putObject("metadata");
        success.put("status", "Success").put("code", 201);
        return respond(201, success);
    }

    private MockResponse budgetRefusal(String budgetName, String cause) {
        ObjectNode status = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("message", BUDGET_REFUSAL).put("reason", "TooManyRequests").put("code", 429);
        status.putObject("metadata");
        status.putObject("details").putArray("causes").addObject().put("reason", "DisruptionBudget").put("message", cause);
        log.debug("eviction refused by {}: {}", budgetName, cause);
        return respond(429, status);
    }

    private List<JsonNode> budgetsCovering(String namespace, JsonNode labels) throws IOException {
        JsonNode list = json.readTree(handleGet("/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets").getBody().getBytes());
        List<JsonNode> covering = new ArrayList<>();
        list.path("items").forEach(budget -> {
            if (selects(budget.path("spec").path("selector"), labels)) {
                covering.add(budget);
            }
        });
        return covering;
    }

    private static boolean ready(JsonNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** policy/v1 selector semantics, as the controller applies them. */
    private boolean selects(JsonNode selector, JsonNode labels) {
        if (!selector.isObject()) {
            return false;
        }
        return RolloutController.selects(json.convertValue(selector, LabelSelector.class),
                labels.isObject() ? json.convertValue(labels, new TypeReference<Map<String, String>>() { }) : Map.of());
    }

    /**
     * Pods listed with a field selector on spec.nodeName, as kubectl drain lists a node's pods. The mock matches
     * field selectors only against names and labels, so the nodeName requirement is taken out and applied here.
     */
    private MockResponse podsByNode(String path, String resourcePath) throws IOException {
        List<String> kept = new ArrayList<>();
        List<String> remainingFields = new ArrayList<>();
        List<Matcher> nodeRequirements = new ArrayList<>();
        for (String parameter : path.substring(path.indexOf('?') + 1).split("&")) {
            if (!parameter.startsWith("fieldSelector=")) {
                kept.add(parameter);
                continue;
            }
            for (String requirement : URLDecoder.decode(parameter.substring("fieldSelector=".length()), UTF_8).split(",")) {
                Matcher nodeName = NODE_NAME_FIELD.matcher(requirement.trim());
                if (nodeName.matches()) {
                    nodeRequirements.add(nodeName);
                } else if (!requirement.isBlank()) {
                    remainingFields.add(requirement.trim());
                }
            }
        }
        if (!remainingFields.isEmpty()) {
            kept.add("fieldSelector=" + URLEncoder.encode(String.join(",", remainingFields), UTF_8));
        }
        MockResponse listed = handleGet(kept.isEmpty() ? resourcePath : resourcePath + "?" + String.join("&", kept));
        if (listed.code() != 200 || nodeRequirements.isEmpty()) {
            return listed;
        }
        ObjectNode list = (ObjectNode) json.readTree(listed.getBody().getBytes());
        ArrayNode items = json.createArrayNode();
        for (JsonNode pod : list.path("items")) {
            String node = pod.path("spec").path("nodeName").asText("");
            if (nodeRequirements.stream().allMatch(requirement -> requirement.group(1).equals("!=")
                    != requirement.group(2).equals(node))) {
                items.add(pod);
            }
        }
        list.set("items", items);
        return respond(200, list);
    }

    /**
     * RBAC, then admission, as the API server runs them for an authenticated identity: the request's verb on its
     * resource must be granted, and a write must pass every ValidatingAdmissionPolicy. Discovery and the
     * self-reviews every authenticated user may make (system:discovery, system:basic-user) need no grant.
     * Returns the refusal, or null.
     */
    private MockResponse authorize(String identity, RecordedRequest request, String resourcePath, List<String> parameters,
            boolean dryRun) throws IOException {
        Matcher parts = RESOURCE_PATH.matcher(resourcePath);
        if (!parts.matches() || parts.group(2) == null && parts.group(3) == null || resourcePath.equals(ACCESS_REVIEWS)) {
            return null;
        }
        String group = parts.group(1) == null ? "" : parts.group(1);
        String namespace = parts.group(2) == null ? "" : parts.group(2);
        String resource = parts.group(3) == null ? "" : parts.group(3);
        String name = parts.group(4) == null ? "" : parts.group(4);
        String subresource = parts.group(5) == null ? "" : parts.group(5);
        if (parts.group(2) != null && parts.group(3) == null) {
            resource = "namespaces";
            name = namespace;
            namespace = "";
        }
        String verb = switch (request.method()) {
            case GET -> !name.isEmpty() ? "get" : parameters.contains("watch=true") || parameters.contains("watch=1") ? "watch" : "list";
            case POST -> "create";
            case PUT -> "update";
            case PATCH -> "patch";
            case DELETE -> name.isEmpty() ? "deletecollection" : "delete";
            default -> request.method().name().toLowerCase(java.util.Locale.ROOT);
        };
        AccessDecision decision = rbac.decide(identity, new AccessRequest(verb, group, resource, subresource, namespace, name, null));
        if (!decision.allowed()) {
            String target = subresource.isEmpty() ? resource : resource + "/" + subresource;
            String qualified = group.isEmpty() ? target : target.replaceFirst("^" + Pattern.quote(resource), resource + "." + group);
            return status(403, "Forbidden", "%s%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\"%s"
                    .formatted(qualified, name.isEmpty() ? "" : " \"" + name + "\"", identity, verb, target, group,
                            namespace.isEmpty() ? " at the cluster scope" : " in the namespace \"" + namespace + "\""));
        }
        String operation = switch (request.method()) {
            case POST -> "CREATE";
            case PUT, PATCH -> "UPDATE";
            case DELETE -> "DELETE";
            default -> null;
        };
        if (operation == null) {
            return null;
        }
        boolean dry = dryRun;
        if (subresource.equals("eviction")) {
            String body = new String(request.getBody().getBytes(), UTF_8);
            dry |= !body.isBlank() && contains(json.readTree(body).path("deleteOptions").path("dryRun"), "All");
        }
        java.util.Optional<String> refusal = admission.refusal(new AdmissionPolicies.Request(operation, identity, group, resource,
                subresource, namespace, name, dry));
        return refusal.map(reason -> status(403, "Forbidden", reason)).orElse(null);
    }

    private MockResponse review(String identity, String body) throws IOException {
        ObjectNode review = (ObjectNode) json.readTree(body);
        JsonNode resource = review.path("spec").path("resourceAttributes");
        JsonNode nonResource = review.path("spec").path("nonResourceAttributes");
        AccessRequest request = resource.isObject()
                ? new AccessRequest(resource.path("verb").asText(), resource.path("group").asText(),
                        resource.path("resource").asText(), resource.path("subresource").asText(),
                        resource.path("namespace").asText(), resource.path("name").asText(), null)
                : new AccessRequest(nonResource.path("verb").asText(), "", "", "", "", "", nonResource.path("path").asText());
        AccessDecision decision = identity == null ? new AccessDecision(true, "the demo's operator may do anything")
                : rbac.decide(identity, request);
        log.debug("access review {} -> {}", request, decision);
        review.putObject("status").put("allowed", decision.allowed()).put("reason", decision.reason());
        return respond(201, review);
    }

    private JsonNode stored(String objectPath) throws IOException {
        MockResponse found = handleGet(objectPath);
        return found.code() == 200 ? json.readTree(found.getBody().getBytes()) : null;
    }

    private MockResponse notFound(String objectPath) {
        String name = objectPath.substring(objectPath.lastIndexOf('/') + 1);
        return status(404, "NotFound", "%s \"%s\" not found".formatted(plural(objectPath.substring(0, objectPath.lastIndexOf('/'))), name));
    }

    private MockResponse status(int code, String reason, String message) {
        ObjectNode status = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        status.putObject("metadata");
        return respond(code, status);
    }

    private MockResponse respond(int code, JsonNode body) {
        try {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                    .setBody(json.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String plural(String collectionPath) {
        return collectionPath.substring(collectionPath.lastIndexOf('/') + 1);
    }

    private static String withoutStatus(String resourcePath) {
        return resourcePath.endsWith("/status") ? resourcePath.substring(0, resourcePath.length() - 7) : resourcePath;
    }
}
