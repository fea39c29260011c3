package dev.awoooi.bus;

import dev.awoooi.incident.IncidentIds;
import dev.awoooi.reconcile.DeadLetters;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter queues, looked into with a visibility timeout of 0: the messages stay where they are, visible at
 * once, for a person to redrive. Only an incident id is taken from a body (at its top or in an event's detail).
 */
public final class SqsDeadLetters implements DeadLetters {
    private final SqsClient sqs;
    private final List<String> urls;
    private final ObjectMapper json;

    /** @param urls the dead-letter queues; each is named on its card by the name in its ARN */
    public SqsDeadLetters(SqsClient sqs, List<String> urls, ObjectMapper json) {
        this.sqs = sqs;
        this.urls = List.copyOf(urls);
        this.json = json;
    }

    @Override
    public List<Queue> look(int sample) {
        List<Queue> holding = new ArrayList<>();
        for (String url : urls) {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(url)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.QUEUE_ARN)).attributes();
            int waiting = Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
            if (waiting == 0) {
                continue;
            }
            var messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(Math.min(10, sample)).visibilityTimeout(0)).messages();
            List<Letter> letters = messages.stream().map(m -> new Letter(m.messageId(), incidentOf(m.body()))).toList();
            String arn = attributes.get(QueueAttributeName.QUEUE_ARN);
            holding.add(new Queue(arn.substring(arn.lastIndexOf(':') + 1), arn, waiting, letters));
        }
        return holding;
    }

    private String incidentOf(String body) {
        try {
            JsonNode message = json.readTree(body);
            JsonNode id = message.path("incidentId").isString() ? message.path("incidentId") : message.path("detail").path("incidentId");
            return id.isString() && IncidentIds.valid(id.asString()) ? id.asString() : null;
        } catch (JacksonException | IllegalArgumentException e) {
            return null; // not JSON: a body is never shown, so nothing is lost but the link to its incident
        }
    }
}
