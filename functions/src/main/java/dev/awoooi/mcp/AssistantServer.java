package dev.awoooi.mcp;

import dev.awoooi.analysis.Analysis;
import dev.awoooi.incident.Incident;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentIndex;
import dev.awoooi.incident.IncidentStatus;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.IncidentView;
import dev.awoooi.scan.ScanArchive;
import dev.awoooi.scan.ScanReport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * AWOOOI as an MCP server for assistants (Claude, Cursor, …): what it found, redacted, and a way to ask for a typed
 * action that only ever becomes a plan waiting for people. Stateless (no session survives a request), so it runs in a
 * Lambda behind the HTTP API. The SDK validates every call against the tool's schema before a handler runs; the
 * annotations say honestly what each tool does. No tool executes anything, and none returns a raw value: every
 * incident field is the pseudonymized one the incident API shows.
 */
public final class AssistantServer {
    /** Where the transport context carries the authenticated caller (the name of the token it used). */
    public static final String CALLER = "caller";
    static final int MAX_LISTED = 50;
    static final List<IncidentStatus> OPEN = List.of(IncidentStatus.AWAITING_APPROVAL, IncidentStatus.EXECUTING, IncidentStatus.APPROVED,
            IncidentStatus.ANALYZED, IncidentStatus.RECEIVED, IncidentStatus.INVESTIGATING);
    static final List<String> SCANS = List.of("finops", "capacity", "compliance", "assets");

    private static final String ID = "{\"type\":\"string\",\"pattern\":\"^inc-[0-9a-z]{20}$\",\"description\":\"an incident id, e.g. from list_incidents\"}";
    private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
    private static final String DNS_NAME = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";

    private final IncidentStore incidents;
    private final IncidentIndex index;
    private final IncidentAlerts alerts;
    private final ScanArchive scans;
    private final AssistantRequests requests;
    private final Clock clock;
    private final Duration budget;
    private final JsonMapper json = JsonMapper.builder().build();
    private final dev.awoooi.privacy.PrivacyShield shield = new dev.awoooi.privacy.PrivacyShield();
    private final StatelessHttpTransport transport;
    private final McpStatelessSyncServer server;

    /** @param budget how long a request_action may take to be recorded (the function's own time limit, less a margin) */
    public AssistantServer(IncidentStore incidents, IncidentIndex index, IncidentAlerts alerts, ScanArchive scans,
                           AssistantRequests requests, Clock clock, Duration budget) {
        this.incidents = incidents;
        this.index = index;
        this.alerts = alerts;
        this.scans = scans;
        this.requests = requests;
        this.clock = clock;
        this.budget = budget;
        McpJsonMapper mapper = new io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper(json);
        this.transport = new StatelessHttpTransport(mapper, budget);
        McpStatelessSyncServer server = McpServer.sync(transport).jsonMapper(mapper)
                .serverInfo("awoooi", "0.1.0")
                .instructions("AWOOOI's incidents, analyses and nightly scans, pseudonymized. request_action only files a plan: "
                        + "AWOOOI dry-runs it and people sign it; nothing an assistant asks for runs on its own.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools(mapper))
                .build();
        // building the server registers its handler with the transport
        this.server = server;
    }

    /** What goes back over HTTP: 200 with a JSON-RPC response, 202 with nothing, 400 for what is not JSON-RPC. */
    public record Reply(int status, String body) {
    }

    /** One HTTP request's JSON-RPC message, answered for an authenticated caller. */
    public Reply exchange(String body, String caller) {
        return transport.exchange(body, McpTransportContext.create(Map.of(CALLER, caller)));
    }

    /**
     * The server's first requests, offline, before a SnapStart snapshot: initialize, tools/list, and calls the schema
     * refuses before any handler (and so any store) is reached, which loads the JSON-RPC mapping and the validator.
     */
    public void prime() {
        for (String message : List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"priming\",\"version\":\"0\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"get_incident\",\"arguments\":{\"id\":\"priming\"}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"request_action\",\"arguments\":{\"action\":\"priming\"}}}")) {
            exchange(message, "priming");
        }
    }

    // ------------------------------------------------------------------ the tools

    private List<SyncToolSpecification> tools(McpJsonMapper mapper) {
        ToolAnnotations reads = ToolAnnotations.builder().readOnlyHint(true).destructiveHint(false).idempotentHint(true).openWorldHint(false).build();
        // it files a request (a new incident), changes nothing in any cluster, and the same key files it once
        ToolAnnotations files = ToolAnnotations.builder().readOnlyHint(false).destructiveHint(false).idempotentHint(true).openWorldHint(false).build();
        List<SyncToolSpecification> tools = new ArrayList<>();
        tools.add(tool(mapper, "list_incidents", "List incidents, open ones first (awaiting approval, executing, analyzed, received), "
                        + "or those of one status; newest changes first.", """
                        {"type":"object","additionalProperties":false,"properties":{
                          "status":{"type":"string","enum":%s},
                          "limit":{"type":"integer","minimum":1,"maximum":%d}}}""".formatted(enumOf(statusNames()), MAX_LISTED),
                reads, this::listIncidents));
        tools.add(tool(mapper, "get_incident", "One incident as AWOOOI stores it, pseudonymized: alerts, root causes, blast radius, "
                        + "the proposed action, risk, dry run, signatures, the model's opinion and the execution.", """
                        {"type":"object","additionalProperties":false,"required":["id"],"properties":{"id":%s}}""".formatted(ID),
                reads, this::getIncident));
        tools.add(tool(mapper, "explain_incident", "An incident in plain words: what is down, what suffers, what AWOOOI proposes and why, "
                        + "its risk and how many signatures it needs.", """
                        {"type":"object","additionalProperties":false,"required":["id"],"properties":{"id":%s}}""".formatted(ID),
                reads, this::explainIncident));
        tools.add(tool(mapper, "list_scans", "The latest nightly scan reports (FinOps waste, capacity, compliance, assets) and their findings.", """
                        {"type":"object","additionalProperties":false,"properties":{"scan":{"type":"string","enum":%s}}}""".formatted(enumOf(SCANS)),
                reads, this::listScans));
        tools.add(tool(mapper, "request_action", "Ask AWOOOI for one typed remediation from its catalog. It never executes: it files a plan "
                        + "that AWOOOI dry-runs, rates (at least MEDIUM) and sends to people for signatures; the answer is the incident to "
                        + "follow. The same idempotencyKey files it once.", """
                        {"type":"object","additionalProperties":false,"required":["action","reason","idempotencyKey"],"properties":{
                          "action":{"type":"string","enum":%s},
                          "namespace":{"type":"string","pattern":"%s","description":"the target's namespace (all but node actions)"},
                          "name":{"type":"string","pattern":"%s","description":"the workload, pod, claim or node"},
                          "replicas":{"type":"integer","minimum":0,"maximum":1000,"description":"scale_deployment only"},
                          "toRevision":{"type":"integer","minimum":1,"description":"rollback_deployment only; the previous one when absent"},
                          "reason":{"type":"string","minLength":1,"maxLength":500,"description":"why, for the people who sign"},
                          "idempotencyKey":{"type":"string","pattern":"^[A-Za-z0-9_-]{8,64}$"}}}"""
                        .formatted(enumOf(AssistantRequests.ACTIONS), DNS_LABEL, DNS_NAME),
                files, this::requestAction));
        return tools;
    }

    private static SyncToolSpecification tool(McpJsonMapper mapper, String name, String description, String schema, ToolAnnotations annotations,
                                              BiFunction<McpTransportContext, Map<String, Object>, CallToolResult> handler) {
        Tool tool = Tool.builder().name(name).description(description).inputSchema(mapper, schema).annotations(annotations).build();
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((context, call) -> handler.apply(context, call.arguments() == null ? Map.of() : call.arguments())).build();
    }

    private CallToolResult listIncidents(McpTransportContext context, Map<String, Object> args) {
        int limit = args.get("limit") instanceof Number n ? n.intValue() : 20;
        List<IncidentStatus> statuses = args.get("status") instanceof String s ? List.of(IncidentStatus.valueOf(s)) : OPEN;
        Instant now = clock.instant().plusSeconds(1);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (IncidentStatus status : statuses) {
            for (String id : index.idsIn(status, now, limit - rows.size())) {
                incidents.find(id).ifPresent(incident -> rows.add(row(incident)));
            }
            if (rows.size() >= limit) {
                break;
            }
        }
        return result(Map.of("incidents", rows));
    }

    private static Map<String, Object> row(Incident incident) {
        Map<String, Object> row = new LinkedHashMap<>();
        Analysis analysis = incident.analysis();
        row.put("id", incident.id());
        row.put("status", incident.status().name());
        row.put("alertName", incident.alertName());
        row.put("service", incident.service());
        row.put("action", analysis == null ? null : analysis.action().describe());
        row.put("risk", analysis == null ? null : analysis.risk().level().name());
        row.put("receivedAt", incident.receivedAt().toString());
        row.put("updatedAt", incident.updatedAt().toString());
        return row;
    }

    private CallToolResult getIncident(McpTransportContext context, Map<String, Object> args) {
        return incident(args).map(incident -> result(IncidentView.of(incident, alerts.newest(incident.id(), IncidentView.NEWEST_ALERTS))))
                .orElseGet(() -> error("no incident " + args.get("id")));
    }

    private CallToolResult explainIncident(McpTransportContext context, Map<String, Object> args) {
        return incident(args).map(incident -> CallToolResult.builder().addTextContent(Explanation.of(incident)).build())
                .orElseGet(() -> error("no incident " + args.get("id")));
    }

    private Optional<Incident> incident(Map<String, Object> args) {
        String id = String.valueOf(args.get("id"));
        return IncidentIds.valid(id) ? incidents.find(id) : Optional.empty();
    }

    /** A fleet's report holds thousands of findings: an assistant gets the costliest first, this many. */
    static final int MAX_FINDINGS = 50;

    private CallToolResult listScans(McpTransportContext context, Map<String, Object> args) {
        List<String> wanted = args.get("scan") instanceof String s ? List.of(s) : SCANS;
        List<Map<String, Object>> reports = new ArrayList<>();
        for (String scan : wanted) {
            // the scans name real nodes, claims and secrets; a node named by its address is an address
            Optional<ScanReport> report = scans.latest(scan, MAX_FINDINGS).map(r -> r.masked(shield::mask));
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("scan", scan);
            one.put("at", report.map(r -> r.at().toString()).orElse(null));
            one.put("monthlyWasteUsd", report.map(ScanReport::monthlyWasteUsd).orElse(0.0));
            one.put("figures", report.map(ScanReport::figures).orElse(Map.of()));
            one.put("notes", report.map(ScanReport::notes).orElse(List.of()));
            one.put("findings", report.map(r -> r.findings().stream().map(AssistantServer::finding).toList()).orElse(List.of()));
            if (report.isEmpty()) {
                one.put("note", "this scan has not run yet");
            }
            reports.add(one);
        }
        return result(Map.of("scans", reports));
    }

    /** A (masked) finding as an assistant sees it: the proposed action by its catalog type. */
    private static Map<String, Object> finding(dev.awoooi.scan.Finding f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", f.kind());
        out.put("resource", f.resource());
        out.put("severity", f.severity());
        out.put("detail", f.detail());
        out.put("monthlyCostUsd", f.monthlyCostUsd());
        if (f.saving() != null) {
            out.put("saving", f.saving().name());
        }
        if (f.recommendation() != null) {
            var r = f.recommendation();
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("title", r.title());
            rec.put("action", r.action() == null ? null : r.action().type());
            rec.put("risk", r.risk() == null ? null : r.risk().name());
            out.put("recommendation", rec);
        }
        return out;
    }

    private CallToolResult requestAction(McpTransportContext context, Map<String, Object> args) {
        String caller = String.valueOf(context.get(CALLER));
        var request = new AssistantRequests.Request(text(args, "action"), text(args, "namespace"), text(args, "name"),
                args.get("replicas") instanceof Number n ? n.intValue() : null, args.get("toRevision") instanceof Number n ? n.longValue() : null,
                text(args, "reason"), text(args, "idempotencyKey"));
        return switch (requests.file(caller, request, clock.instant().plus(budget))) {
            case AssistantRequests.Refused refused -> error("refused: " + refused.why());
            case AssistantRequests.Filed filed -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("incidentId", filed.incidentId());
                out.put("repeated", filed.repeated());
                out.put("plan", filed.plan());
                out.put("executed", false);
                out.put("next", "AWOOOI analyzes, dry-runs and rates the plan, then asks people to sign it; follow it with get_incident. "
                        + "Nothing runs until they do.");
                yield result(out);
            }
        };
    }

    private static String text(Map<String, Object> args, String key) {
        return args.get(key) instanceof String s ? s : null;
    }

    private CallToolResult result(Map<String, Object> structured) {
        return CallToolResult.builder().structuredContent(structured).addTextContent(json.writeValueAsString(structured)).build();
    }

    private static CallToolResult error(String why) {
        return CallToolResult.builder().isError(true).addTextContent(why).build();
    }

    private static List<String> statusNames() {
        return java.util.Arrays.stream(IncidentStatus.values()).map(Enum::name).toList();
    }

    private static String enumOf(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
