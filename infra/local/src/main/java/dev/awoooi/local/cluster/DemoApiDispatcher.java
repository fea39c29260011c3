package dev.awoooi.local.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awoooi.local.cluster.RbacPolicy.AccessDecision;
import dev.awoooi.local.cluster.RbacPolicy.AccessRequest;
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
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's CRUD dispatcher with the behaviour of a real API server where our product depends on it: dry runs
 * are validated but not stored, merge patches follow RFC 7386, strategic merge patch is refused explicitly,
 * SelfSubjectAccessReviews are decided by the RBAC manifest, and pod logs and /version answer.
 */
final class DemoApiDispatcher extends KubernetesCrudDispatcher {

    /** The mock stamps creationTimestamp with "now" on create; this annotation lets demo objects be older. */
    static final String CREATED_AT = "awoooi.dev/created-at";

    private static final Logger log = LoggerFactory.getLogger(DemoApiDispatcher.class);
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final Pattern POD_LOG = Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/]+/log");
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";

    private final ObjectMapper json = new ObjectMapper();
    private final RbacPolicy rbac;
    // A patch is read, applied and written back as an update; serialising all writes keeps that atomic.
    private final ReentrantLock writes = new ReentrantLock();

    DemoApiDispatcher(RbacPolicy rbac) {
        this.rbac = rbac;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String resourcePath = query < 0 ? path : path.substring(0, query);
        boolean dryRun = query >= 0 && Arrays.asList(path.substring(query + 1).split("&")).contains("dryRun=All");
        try {
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
        if (POD_LOG.matcher(resourcePath).matches()) {
            String podPath = resourcePath.substring(0, resourcePath.length() - "/log".length());
            JsonNode pod = stored(podPath);
            return pod == null ? notFound(podPath) : new MockResponse().setResponseCode(200)
                    .setHeader("Content-Type", "text/plain").setBody(DemoTopology.logOf(pod));
        }
        return super.dispatch(request);
    }

    private MockResponse write(RecordedRequest request, String resourcePath, boolean dryRun) throws IOException {
        String body = new String(request.getBody().getBytes(), UTF_8);
        String contentType = request.getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        HttpMethod method = request.method();
        if (method == HttpMethod.POST && resourcePath.equals(ACCESS_REVIEWS)) {
            return review(body);
        }
        if (method == HttpMethod.PATCH && !mediaType.equals(MERGE_PATCH) && !mediaType.equals(JSON_PATCH)) {
            return status(415, "UnsupportedMediaType", "patch type " + mediaType
                    + " is not supported by the demo API server; use a JSON merge patch (" + MERGE_PATCH + ")");
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

    private MockResponse review(String body) throws IOException {
        ObjectNode review = (ObjectNode) json.readTree(body);
        JsonNode resource = review.path("spec").path("resourceAttributes");
        JsonNode nonResource = review.path("spec").path("nonResourceAttributes");
        AccessRequest request = resource.isObject()
                ? new AccessRequest(resource.path("verb").asText(), resource.path("group").asText(),
                        resource.path("resource").asText(), resource.path("subresource").asText(),
                        resource.path("namespace").asText(), resource.path("name").asText(), null)
                : new AccessRequest(nonResource.path("verb").asText(), "", "", "", "", "", nonResource.path("path").asText());
        AccessDecision decision = rbac.decide(request);
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
