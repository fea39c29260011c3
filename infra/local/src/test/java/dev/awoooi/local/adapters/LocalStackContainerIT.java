package dev.awoooi.local.adapters;

import dev.awoooi.local.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The adapter contract against LocalStack in a container, with the runner in emulator mode (it creates the
 * template's tables, queues, bus and rules there). Reported as skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackContainerIT extends AwsAdaptersContract {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices("dynamodb", "sqs", "events");

    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.defaults().withPort(0).withTimedSchedules(false).withDemoCluster(false)
                .withAwsEndpoint(LOCALSTACK.getEndpoint()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Override
    LocalStack stack() {
        return stack;
    }
}
