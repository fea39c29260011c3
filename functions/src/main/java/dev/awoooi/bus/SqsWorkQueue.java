package dev.awoooi.bus;

import dev.awoooi.alert.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.ObjectMapper;

/** A work item as a JSON message on an SQS queue. */
public final class SqsWorkQueue<T> implements WorkQueue<T> {
    private final SqsClient sqs;
    private final String queueUrl;
    private final ObjectMapper json;

    public SqsWorkQueue(SqsClient sqs, String queueUrl, ObjectMapper json) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.json = json;
    }

    @Override
    public void send(T item) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(json.writeValueAsString(item)));
    }
}
