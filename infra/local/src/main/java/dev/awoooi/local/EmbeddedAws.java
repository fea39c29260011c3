package dev.awoooi.local;

import java.net.URI;

import org.apache.pekko.http.scaladsl.Http;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * DynamoDB Local and ElasticMQ inside this JVM, on loopback and ephemeral ports.
 *
 * <p>DynamoDB Local is mounted on our own Jetty connector rather than through its ServerRunner: the runner binds
 * every interface, needs a fixed port, and is where telemetry is switched on; its request handler is all we need.
 * Its native SQLite library needs no setup: DynamoDB Local 3.x extracts the copy bundled in its own jar to the
 * temp directory and loads it, so {@code sqlite4java.library.path} is not consulted.
 */
final class EmbeddedAws implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedAws.class);
    private static final String LOOPBACK = "127.0.0.1";

    private final LocalDynamoDBRequestHandler dynamoDbHandler;
    private final Server dynamoDbServer;
    private final SQSRestServer sqsServer;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;

    private EmbeddedAws(LocalDynamoDBRequestHandler dynamoDbHandler, Server dynamoDbServer, URI dynamoDbEndpoint,
                        SQSRestServer sqsServer, URI sqsEndpoint) {
        this.dynamoDbHandler = dynamoDbHandler;
        this.dynamoDbServer = dynamoDbServer;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sqsServer = sqsServer;
        this.sqsEndpoint = sqsEndpoint;
    }

    static EmbeddedAws start(String region) {
        LocalDynamoDBRequestHandler handler = null;
        Server server = null;
        try {
            // in memory; one database whatever credentials or region a client signs with
            handler = new LocalDynamoDBRequestHandler(0, true, null, true, false);
            server = new Server(new QueuedThreadPool(32, 2));
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(LOOPBACK);
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new ContextHandler(new LocalDynamoDBServerHandler(handler, null), "/"));
            server.start();
            URI dynamoDb = URI.create("http://" + LOOPBACK + ":" + connector.getLocalPort());

            // the stack stops ElasticMQ itself; Pekko's own JVM hook would race it and warn on every Ctrl-C
            if (System.getProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook") == null) {
                System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
            }
            SQSRestServer sqs = SQSRestServerBuilder.withInterface(LOOPBACK).withDynamicPort()
                    .withAWSRegion(region).withAWSAccountId(Intrinsics.ACCOUNT_ID).start();
            Http.ServerBinding binding = sqs.waitUntilStarted();
            URI sqsEndpoint = URI.create("http://" + LOOPBACK + ":" + binding.localAddress().getPort());
            log.info("DynamoDB Local at {}, ElasticMQ at {}", dynamoDb, sqsEndpoint);
            return new EmbeddedAws(handler, server, dynamoDb, sqs, sqsEndpoint);
        } catch (Exception e) {
            stopQuietly(server, handler);
            throw new IllegalStateException("cannot start the embedded DynamoDB Local and ElasticMQ", e);
        }
    }

    URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    URI sqsEndpoint() {
        return sqsEndpoint;
    }

    @Override
    public void close() {
        try {
            sqsServer.stopAndWait();
        } catch (RuntimeException e) {
            log.warn("ElasticMQ did not stop cleanly", e);
        }
        stopQuietly(dynamoDbServer, dynamoDbHandler);
    }

    private static void stopQuietly(Server server, LocalDynamoDBRequestHandler handler) {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            log.warn("DynamoDB Local's HTTP server did not stop cleanly", e);
        }
        if (handler != null) {
            handler.shutdown();
        }
    }
}
