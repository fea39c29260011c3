package dev.awoooi.config;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.awoooi.incident.IncidentView;
import dev.awoooi.alert.Alert;
import dev.awoooi.alert.AlertBatch;
import dev.awoooi.alert.AlertParser;
import dev.awoooi.alert.AlertmanagerParser;
import dev.awoooi.alert.GenericAlertParser;
import dev.awoooi.alert.GrafanaParser;
import dev.awoooi.alert.GrafanaSignature;
import dev.awoooi.alert.Intake;
import dev.awoooi.alert.InvalidAlertException;
import dev.awoooi.alert.SealedAlert;
import dev.awoooi.alert.Sealer;
import dev.awoooi.approval.ApprovalDesk;
import dev.awoooi.approval.ApprovalLinks;
import dev.awoooi.approval.ApprovalPage;
import dev.awoooi.approval.ApproverDirectory;
import dev.awoooi.approval.Decision;
import dev.awoooi.audit.AuditLog;
import dev.awoooi.trust.TrustLedger;
import dev.awoooi.trust.TrustLessons;
import dev.awoooi.trust.TrustPolicy;
import dev.awoooi.bus.SqsDeadLetters;
import dev.awoooi.bus.SqsWorkQueue;
import dev.awoooi.incident.DomainEvent;
import dev.awoooi.incident.DomainEvents;
import dev.awoooi.incident.IncidentAlerts;
import dev.awoooi.incident.IncidentIds;
import dev.awoooi.incident.IncidentStore;
import dev.awoooi.incident.Transition;
import dev.awoooi.notify.Cards;
import dev.awoooi.notify.Notifier;
import dev.awoooi.privacy.PrivacyShield;
import dev.awoooi.privacy.RedactedAlert;
import dev.awoooi.privacy.Redaction;
import dev.awoooi.privacy.Vault;
import dev.awoooi.store.DynamoClaims;
import dev.awoooi.reconcile.Reconciler;
import dev.awoooi.store.DynamoIncidentStore;
import dev.awoooi.store.DynamoPayloads;
import dev.awoooi.store.IncidentStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.exception.SdkException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The functions, one bean each; every Lambda picks one by SPRING_CLOUD_FUNCTION_DEFINITION. They translate
 * between AWS events and the domain and hold no logic of their own.
 */
@Configuration(proxyBeanMethods = false)
public class Functions {
    private static final Logger log = LoggerFactory.getLogger(Functions.class);
    static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

    // ------------------------------------------------------------------ domain services

    @Bean
    Intake intake(DynamoClaims claims, IncidentStore incidents, SqsWorkQueue<SealedAlert> redactQueue, DynamoPayloads payloads,
                  Sealer sealer, SecretStore secrets, AwoooiProperties props, ObjectMapper json, Clock clock) {
        return new Intake(claims, incidents, redactQueue, payloads, sealer, json::writeValueAsString,
                key -> new KeyBlinder(secrets.current().blindSecret(), "awoooi-group-key").blind(key), clock,
                new Intake.Windows(Duration.ofDays(7), props.intake().groupingwindow(), props.intake().renotify()));
    }

    @Bean
    Redaction redaction(Vault vault, Sealer sealer, DynamoPayloads payloads, IncidentStore incidents, IncidentAlerts alerts,
                        SqsWorkQueue<RedactedAlert> analyzeQueue, ObjectMapper json, Clock clock) {
        return new Redaction(new PrivacyShield(), vault, sealer, payloads, incidents, alerts, analyzeQueue,
                text -> json.readValue(text, Alert.class), clock);
    }

    @Bean
    ApprovalLinks approvalLinks(SecretStore secrets, AwoooiProperties props) {
        return new ApprovalLinks(() -> secrets.current().linkSecret(), props.publicbaseurl() == null ? "" : props.publicbaseurl());
    }

    @Bean
    ApprovalDesk approvalDesk(IncidentStore incidents, AuditLog audit, ApprovalLinks links,
                              ApproverDirectory directory, Clock clock, AwoooiProperties props, TrustLedger trust) {
        return new ApprovalDesk(incidents, audit, links, directory, clock, Duration.ofHours(4), props.oidc().configured(), incident -> {
            var verdict = trust.weigh(incident);
            return new ApprovalDesk.Weighed(verdict.requirement(), verdict.reason());
        });
    }

    @Bean
    TrustLedger trustLedger(dev.awoooi.store.DynamoTrustStore store, AuditLog audit, DomainEvents events, AwoooiProperties props, Clock clock) {
        return new TrustLedger(store, audit, events, new TrustPolicy(props.trust().thresholds()), props.scope().of(props.cluster()),
                props.cluster().name(), clock);
    }

    // ------------------------------------------------------------------ HTTP functions

    @Bean
    ApprovalRoutes approvalRoutes(ApprovalDesk desk, ApprovalLinks links, IncidentStore incidents, ApproverDirectory directory,
                                  SecretStore secrets, dev.awoooi.privacy.Vault vault, AuditLog audit, dev.awoooi.audit.AuditTrail trail,
                                  Clock clock, AwoooiProperties props, ObjectMapper json) {
        return new ApprovalRoutes(desk, links, incidents, directory, new dev.awoooi.approval.PageSessions(() -> secrets.current().linkSecret(), clock),
                openIdProvider(props, secrets, json, clock), vault, audit, trail, clock, props.publicbaseurl() == null ? "" : props.publicbaseurl());
    }

    /** The organisation's OpenID Connect provider, or null when none is configured. */
    private static dev.awoooi.signin.OpenIdProvider openIdProvider(AwoooiProperties props, SecretStore secrets, ObjectMapper json, Clock clock) {
        var oidc = props.oidc();
        return !oidc.configured() ? null : new dev.awoooi.signin.OpenIdProvider(oidc.issuer(), oidc.clientid(),
                () -> secrets.current().oidcClientSecret(), Adapters::platformHttp, json, clock);
    }

    /**
     * The console (/console/..., see {@link ConsoleRoutes}). Its sessions are sealed with a key derived from the OpenID
     * Connect client secret, which it holds to sign people in: not the link secret, so it can never mint an approval link.
     */
    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> console(ApprovalDesk desk, IncidentStore incidents, DynamoIncidentStore list,
                                                                      IncidentAlerts alerts, dev.awoooi.audit.AuditTrail trail, AuditLog audit,
                                                                      ApproverDirectory directory, TrustLedger trust, dev.awoooi.scan.ScanArchive scans,
                                                                      SecretStore secrets, Clock clock, AwoooiProperties props, ObjectMapper json) {
        var provider = openIdProvider(props, secrets, json, clock);
        if (provider == null) {
            log.error("the console needs an OpenID Connect provider (OidcIssuer): every request is answered 503");
            return event -> Http.page(503, dev.awoooi.console.ConsolePages.notice("The console needs an identity provider (OidcIssuer): nobody can sign in."),
                    dev.awoooi.console.ConsolePages.CONTENT_SECURITY_POLICY);
        }
        var sessions = new dev.awoooi.approval.PageSessions(() -> new KeyBlinder(secrets.current().oidcClientSecret().getBytes(StandardCharsets.UTF_8),
                "awoooi-console-sessions").key(), clock);
        var routes = new ConsoleRoutes(incidents, list, alerts, trail, audit, desk, directory, trust, scans, sessions, provider, clock,
                props.publicbaseurl() == null ? "" : props.publicbaseurl(), props.reconcile().redrive());
        return routes::handle;
    }

    /** Where AWOOOI may act: checked when a plan is made (and a request filed) and again, on the real names, right before acting. */
    @Bean
    dev.awoooi.action.Scope scope(AwoooiProperties props) {
        return props.scope().of(props.cluster());
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> ingest(Intake intake, SecretStore secrets, AwoooiProperties props,
                                                                     ObjectMapper json, Clock clock) {
        Map<String, AlertParser> parsers = Map.of("alertmanager", new AlertmanagerParser(json), "grafana", new GrafanaParser(json),
                "generic", new GenericAlertParser(json));
        return event -> {
            // Lambda ends the invocation at the function's timeout: claims taken now expire then.
            Instant deadline = clock.instant().plus(props.timeout());
            String body = Http.body(event);
            if (body.length() > MAX_BODY_BYTES || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                return Http.error(413, "body larger than 5 MB");
            }
            String source = Http.pathParameter(event, "source");
            byte[] grafanaSecret = "grafana".equals(source) ? secrets.current().grafanaHmacSecret() : null;
            if (grafanaSecret != null) {
                var grafana = new GrafanaSignature(grafanaSecret);
                var refusal = grafana.refusal(body, Http.header(event, GrafanaSignature.SIGNATURE_HEADER),
                        Http.header(event, GrafanaSignature.TIMESTAMP_HEADER), clock.instant());
                if (refusal.isPresent()) {
                    return Http.error(401, refusal.get());
                }
            } else if (!Http.bearer(event, () -> secrets.current().webhookToken())) {
                return Http.unauthorized();
            }
            AlertParser parser = parsers.get(source);
            if (parser == null) {
                return Http.error(404, "unknown alert source '" + source + "'; supported: alertmanager, grafana, generic");
            }
            String contentType = Http.header(event, "content-type");
            if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return Http.error(415, "Content-Type must be application/json");
            }
            try {
                AlertBatch batch = parser.parse(body);
                List<Intake.Accepted> outcomes = intake.accept(batch, deadline);
                var incidents = outcomes.stream().map(a -> {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("id", a.id());
                    one.put("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
                    one.put("duplicate", a.duplicate());
                    return one;
                }).toList();
                Map<String, Object> accepted = new LinkedHashMap<>();
                accepted.put("incidents", incidents);
                accepted.put("truncatedAlerts", batch.truncatedAlerts());
                if (outcomes.stream().anyMatch(a -> a.outcome().retry())) {
                    // Some alerts are not recorded yet (being recorded by another delivery, or out of time): the
                    // sender's retry records them, and the ones recorded now come back as duplicates.
                    accepted.put("error", "some alerts are not recorded yet; retry the delivery");
                    APIGatewayV2HTTPResponse retry = Http.json(503, json.writeValueAsString(accepted));
                    retry.getHeaders().put("Retry-After", "5");
                    return retry;
                }
                return Http.json(202, json.writeValueAsString(accepted));
            } catch (InvalidAlertException e) {
                return Http.error(400, e.getMessage());
            } catch (SdkException e) {
                log.error("ingest could not record the alert: {}", e.getClass().getSimpleName());
                APIGatewayV2HTTPResponse unavailable = Http.error(503, "could not record the alert now; retry");
                unavailable.getHeaders().put("Retry-After", "5");
                return unavailable;
            }
        };
    }

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> incidents(IncidentStore incidents, IncidentAlerts alerts, SecretStore secrets,
                                                                        dev.awoooi.audit.AuditTrail trail, TrustLedger trust, Clock clock,
                                                                        dev.awoooi.scan.ScanArchive scans, ObjectMapper json) {
        return event -> {
            // Its own credential: whoever may send alerts may not read what AWOOOI found.
            if (!Http.bearer(event, () -> secrets.current().readerToken())) {
                return Http.unauthorized();
            }
            if ("/trust".equals(event.getRawPath())) {
                return Http.json(200, json.writeValueAsString(ReadViews.trust(trust, trail, clock.instant())));
            }
            if (event.getRawPath() != null && event.getRawPath().startsWith("/scans")) {
                return ReadViews.scans(event, scans, json);
            }
            String id = Http.pathParameter(event, "id");
            if (!IncidentIds.valid(id)) {
                return Http.error(400, "not an incident id");
            }
            if (event.getRawPath() != null && event.getRawPath().endsWith("/audit")) {
                var chain = trail.chain(id);
                return chain.isEmpty() && incidents.status(id).isEmpty() ? Http.error(404, "no incident " + id)
                        : Http.json(200, json.writeValueAsString(ReadViews.audit(id, chain)));
            }
            return incidents.find(id)
                    .map(incident -> Http.json(200, json.writeValueAsString(
                            IncidentView.of(incident, alerts.newest(incident.id(), IncidentView.NEWEST_ALERTS)))))
                    .orElseGet(() -> Http.error(404, "no incident " + id));
        };
    }

    @Bean
    dev.awoooi.chat.SlackInteractions slackInteractions(SecretStore secrets, ApprovalDesk desk, dev.awoooi.chat.SlackApi slack,
                                                        dev.awoooi.store.DynamoClaims claims, AuditLog audit, Clock clock, ObjectMapper json) {
        return new dev.awoooi.chat.SlackInteractions(() -> secrets.current().chat().slackSigningSecret(), desk, slack, claims, audit, clock, json);
    }

    @Bean
    dev.awoooi.chat.TelegramUpdates telegramUpdates(SecretStore secrets, ApprovalDesk desk, dev.awoooi.chat.TelegramApi telegram,
                                                    dev.awoooi.chat.TelegramChannel channel, dev.awoooi.store.DynamoClaims claims, AuditLog audit,
                                                    ObjectMapper json) {
        return new dev.awoooi.chat.TelegramUpdates(() -> secrets.current().chat().telegramWebhookSecret(), desk, telegram, channel, claims,
                claims, audit, json);
    }

    @Bean
    dev.awoooi.chat.DiscordInteractions discordInteractions(SecretStore secrets, ApprovalDesk desk, dev.awoooi.chat.DiscordChannel channel,
                                                            dev.awoooi.store.DynamoClaims claims, AuditLog audit, Clock clock, ObjectMapper json) {
        return new dev.awoooi.chat.DiscordInteractions(() -> dev.awoooi.chat.DiscordSignature.publicKey(secrets.current().chat().discordPublicKey()),
                desk, channel, claims, audit, clock, json);
    }

    /**
     * The approval page, its sign-in and its decisions (/approvals/..., see {@link ApprovalRoutes}), Slack's button clicks (/chat/slack/interactions),
     * Telegram's updates (/chat/telegram/webhook) and Discord's interactions (/chat/discord/interactions).
     */
    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> approvalApi(ApprovalRoutes routes,
                                                                          dev.awoooi.chat.SlackInteractions slack,
                                                                          dev.awoooi.chat.TelegramUpdates telegram,
                                                                          dev.awoooi.chat.DiscordInteractions discord) {
        return event -> {
            if ("/chat/discord/interactions".equals(event.getRawPath())) {
                var answer = discord.handle(Http.body(event).getBytes(StandardCharsets.UTF_8), Http.header(event, "x-signature-timestamp"),
                        Http.header(event, "x-signature-ed25519"));
                return answer.status() == 200 ? Http.json(200, answer.body()) : Http.error(answer.status(), answer.body());
            }
            if ("/chat/telegram/webhook".equals(event.getRawPath())) {
                var answer = telegram.handle(Http.body(event).getBytes(StandardCharsets.UTF_8), Http.header(event, "x-telegram-bot-api-secret-token"));
                return answer.status() == 200 ? Http.json(200, "{}") : Http.error(answer.status(), answer.body());
            }
            if ("/chat/slack/interactions".equals(event.getRawPath())) {
                var answer = slack.handle(Http.body(event).getBytes(StandardCharsets.UTF_8), Http.header(event, "x-slack-request-timestamp"),
                        Http.header(event, "x-slack-signature"));
                return answer.status() == 200 ? Http.json(200, "{}") : Http.error(answer.status(), answer.body());
            }
            return routes.handle(event);
        };
    }

    // ------------------------------------------------------------------ queue functions

    @Bean
    Function<SQSEvent, SQSBatchResponse> redact(Redaction redaction, AwoooiProperties props, ObjectMapper json, Clock clock) {
        return event -> Batches.together("redact", event, Batches.Deadline.of(clock, props.timeout(), Duration.ofSeconds(5)),
                body -> json.readValue(body, SealedAlert.class), SealedAlert::incidentId, redaction::redactTogether);
    }

    @Bean
    Function<SQSEvent, SQSBatchResponse> approve(ApprovalDesk desk, TrustLedger trust, IncidentStore incidents, IncidentAlerts alerts,
                                                 AwoooiProperties props, ObjectMapper json, Clock clock) {
        TrustLessons lessons = new TrustLessons(incidents, alerts, trust);
        return event -> Batches.each("approve", event, Batches.Deadline.of(clock, props.timeout(), Duration.ofSeconds(5)), body -> {
            JsonNode envelope = json.readTree(body);
            String id = detail(json, body).get("incidentId").asString();
            switch (envelope.path("detail-type").asString()) {
                case "Incident Analyzed" -> {
                    // a repeat of a recent fix's alert resets that fix's trust before this plan is weighed
                    lessons.analyzed(id);
                    desk.open(id);
                }
                case "Execution Succeeded", "Execution Failed", "Approval Rejected" -> lessons.finished(id);
                default -> throw new IllegalArgumentException("approve cannot take detail-type '" + envelope.path("detail-type").asString() + "'");
            }
        });
    }

    @Bean
    Function<SQSEvent, SQSBatchResponse> notify(Notifier notifier, AwoooiProperties props, ObjectMapper json, Clock clock) {
        // A card may wait 5 s to connect and 10 s for the answer (WebhookChannel), plus its reads and audit.
        return event -> {
            Instant deadline = clock.instant().plus(props.timeout());
            return Batches.each("notify", event, new Batches.Deadline(clock, deadline, Duration.ofSeconds(17)), body -> {
                JsonNode envelope = json.readTree(body);
                String detailType = envelope.path("detail-type").asString();
                var type = DomainEvent.ofDetailType(detailType)
                        .orElseThrow(() -> new IllegalArgumentException("notify cannot render detail-type '" + detailType + "'"));
                notifier.announce(json.treeToValue(envelope.get("detail"), type), deadline);
            });
        };
    }

    @Bean
    Reconciler reconciler(IncidentStore incidents, DynamoIncidentStore index, ApprovalDesk desk, SqsWorkQueue<Map<String, Object>> executeQueue,
                          SqsDeadLetters deadLetters, DynamoClaims claims, DomainEvents events, AuditLog audit, AwoooiProperties props, Clock clock) {
        var r = props.reconcile();
        return new Reconciler(incidents, index, desk, executeQueue, deadLetters, claims, events, audit, clock,
                new Reconciler.Bounds(r.redrive(), r.analysis(), r.execution(), r.giveup(), r.investigation()));
    }

    /** Every minute: expires requests, drives stuck incidents on or ends them, settles stopped executions, cards dead letters. */
    @Bean
    Function<Map<String, Object>, Map<String, Object>> reconcile(Reconciler reconciler) {
        return input -> {
            Reconciler.Report report = reconciler.run();
            if (report.errors() > 0) {
                // everything else was done; failing the run makes the errors alarm and the schedule's retry see them
                throw new IllegalStateException("reconcile finished with " + report.errors() + " error(s): " + report.asMap());
            }
            return report.asMap();
        };
    }

    @Bean
    Notifier notifier(List<dev.awoooi.notify.ChatRoute> chat, org.springframework.beans.factory.ObjectProvider<MailAdapters.PrivateChannels> privateChannels,
                      ApproverDirectory directory, DynamoClaims claims, IncidentStore incidents, AuditLog audit, ApprovalLinks links, Clock clock) {
        return new Notifier(new Cards(links), chat, privateChannels.getIfAvailable(() -> new MailAdapters.PrivateChannels(List.of())).all(), directory, claims, incidents, audit, clock,
                Duration.ofSeconds(5));
    }

    /**
     * The outbox's relay: the incidents table's stream, in order per incident, and what each committed transition
     * announces, onto the bus. A failed put is retried from that record (Lambda re-reads the stream), so an event
     * is published at least once and only ever after its write; consumers tell republications by the event id.
     */
    @Bean
    Function<DynamodbEvent, StreamsEventResponse> relay(DomainEvents events, ObjectMapper json, AwoooiProperties props, Clock clock) {
        IncidentStream stream = new IncidentStream(json);
        return event -> Batches.inOrder("relay", event, Batches.Deadline.of(clock, props.timeout(), Duration.ofSeconds(5)),
                (before, after) -> stream.transition(before, after).flatMap(Transition::event).ifPresent(events::publish));
    }

    static JsonNode detail(ObjectMapper json, String eventBridgeEnvelope) {
        JsonNode detail = json.readTree(eventBridgeEnvelope).get("detail");
        if (detail == null || !detail.isObject()) {
            throw new IllegalArgumentException("message is not an EventBridge event with a detail object");
        }
        return detail;
    }
}
