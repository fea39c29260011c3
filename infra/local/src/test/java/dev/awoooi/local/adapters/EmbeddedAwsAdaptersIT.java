package dev.awoooi.local.adapters;

import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The adapter contract against the embedded stack: DynamoDB Local, ElasticMQ and the local event router. */
class EmbeddedAwsAdaptersIT extends AwsAdaptersContract {
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withDemoCluster(false));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Override
    LocalStack stack() {
        return stack;
    }
}
