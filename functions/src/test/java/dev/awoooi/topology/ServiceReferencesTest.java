package dev.awoooi.topology;

import dev.awoooi.topology.ServiceReferences.KnownService;
import dev.awoooi.topology.ServiceReferences.Reference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceReferencesTest {
    private static final ServiceReferences REFS = new ServiceReferences(List.of(
            new KnownService("postgres-db", "production", "10.96.10.12"),
            new KnownService("redis-cache", "production", "10.96.10.13"),
            new KnownService("rabbitmq", "production", "10.96.10.14"),
            new KnownService("auth-service", "production", "10.96.10.15"),
            new KnownService("frontend", "production", "10.96.10.16"),
            new KnownService("api", "production", "10.96.10.17"),
            new KnownService("app", "production", "10.96.10.18"),
            new KnownService("db", "production", "10.96.10.19"),
            new KnownService("mssql", "production", "10.96.10.20"),
            new KnownService("kafka-headless", "production", "None"),
            new KnownService("mongo-a", "production", null),
            new KnownService("mongo-b", "production", null),
            new KnownService("mongo-c", "production", null),
            new KnownService("redis-cache", "staging", "10.96.20.13"),
            new KnownService("orders-db", "staging", "10.96.20.14")), "cluster.local");

    private static Set<String> env(String name, String value) {
        return names(REFS.inEnv(name, value, "production"));
    }

    private static Set<String> envFrom(String namespace, String name, String value) {
        return names(REFS.inEnv(name, value, namespace));
    }

    private static Set<String> configMap(String key, String value) {
        return names(REFS.inConfigMap("app-config", key, value, "production"));
    }

    private static Set<String> names(Set<Reference> references) {
        return references.stream().map(r -> r.service().namespace() + "/" + r.service().name()).collect(Collectors.toSet());
    }

    @Nested
    class DockerLinkEnvVars {
        @Test
        void theKeyAloneNamesTheServiceWhateverTheValue() {
            assertThat(env("POSTGRES_DB_SERVICE_HOST", "whatever")).containsExactly("production/postgres-db");
            assertThat(env("REDIS_CACHE_SERVICE_PORT", "6379")).containsExactly("production/redis-cache");
            assertThat(env("AUTH_SERVICE_SERVICE_PORT_HTTP", "8080")).containsExactly("production/auth-service");
            assertThat(env("REDIS_CACHE_PORT_6379_TCP_ADDR", "x")).containsExactly("production/redis-cache");
            assertThat(env("RABBITMQ_PORT_5672_TCP", "x")).containsExactly("production/rabbitmq");
            assertThat(env("RABBITMQ_PORT", "tcp://192.0.2.1:5672")).containsExactly("production/rabbitmq");
        }

        @Test
        void aPlainPortSettingIsNotALink() {
            assertThat(env("DB_PORT", "5432")).isEmpty();
            assertThat(env("POSTGRES_DB_SERVICE_HOSTNAME", "x")).isEmpty();
        }

        @Test
        void linksResolveInTheWorkloadsOwnNamespaceOnly() {
            assertThat(envFrom("staging", "ORDERS_DB_SERVICE_HOST", "x")).containsExactly("staging/orders-db");
            assertThat(env("ORDERS_DB_SERVICE_HOST", "x")).isEmpty();
        }
    }

    @Nested
    class ClusterIps {
        @Test
        void anIpOrIpAndPortIsTheServiceBehindIt() {
            assertThat(env("DB", "10.96.10.12")).containsExactly("production/postgres-db");
            assertThat(env("DB_ADDR", "10.96.10.12:5432")).containsExactly("production/postgres-db");
            assertThat(env("CACHE_URL", "redis://10.96.20.13:6379/0")).containsExactly("staging/redis-cache");
        }

        @Test
        void aLongerNumberIsNotTheIp() {
            assertThat(env("ADDR", "110.96.10.12")).isEmpty();
            assertThat(env("ADDR", "10.96.10.123")).isEmpty();
            assertThat(env("VERSION", "10.96.10.12.1")).isEmpty();
        }
    }

    @Nested
    class ShortNames {
        @Test
        void aWholeValueOrHostAndPortIsAHost() {
            assertThat(env("CACHE", "redis-cache")).containsExactly("production/redis-cache");
            assertThat(env("CACHE", " \"redis-cache:6379\" ")).containsExactly("production/redis-cache");
            assertThat(env("UPSTREAMS", "auth-service:8080, frontend:80")).containsExactlyInAnyOrder(
                    "production/auth-service", "production/frontend");
            assertThat(env("NOTE", "primary at redis-cache:6379 since May")).containsExactly("production/redis-cache");
        }

        @Test
        void onlyAWholeTokenMatches() {
            assertThat(env("TARGET", "frontend-v2")).isEmpty();
            assertThat(env("TARGET", "my-frontend")).isEmpty();
            assertThat(env("TARGET", "frontend_v2")).isEmpty();
            assertThat(env("HEADER", "api-key")).isEmpty();
            assertThat(env("URL", "http://my-frontend:8080/")).isEmpty();
            assertThat(env("URL", "http://frontend2:8080/")).isEmpty();
        }

        @Test
        void resolveInTheCallersNamespaceOnly() {
            assertThat(envFrom("staging", "DB", "postgres-db")).isEmpty();
            assertThat(envFrom("staging", "CACHE", "redis-cache")).containsExactly("staging/redis-cache");
            assertThat(envFrom("elsewhere", "CACHE", "redis-cache:6379")).isEmpty();
        }

        @Test
        void wordsOutsideHostPositionsAreNotHosts() {
            assertThat(env("LABELS", "app.kubernetes.io/name=app,app.kubernetes.io/component=db")).isEmpty();
            assertThat(env("MESSAGE", "the app writes to the db through the api")).isEmpty();
            assertThat(env("GREETING", "hello app")).isEmpty();
            assertThat(configMap("app.yaml", "app: frontend\nrole: api\n")).isEmpty();
        }

        @Test
        void imageTagsAreNotPorts() {
            assertThat(env("NOTE", "pinned redis-cache:7 and redis-cache:7.4")).isEmpty();
            assertThat(configMap("deploy.yaml", "image: rabbitmq:3.13-management\n")).isEmpty();
            assertThat(env("SIDECAR_IMAGE", "frontend:1234")).isEmpty();
        }

        @Test
        void nameLikeKeysHoldNamesNotHosts() {
            assertThat(env("POSTGRES_DB", "app")).isEmpty();
            assertThat(env("OTEL_SERVICE_NAME", "frontend")).isEmpty();
            assertThat(env("DB_USER", "db")).isEmpty();
        }

        @Test
        void namesAreCaseInsensitiveLikeDns() {
            assertThat(env("CACHE_HOST", "REDIS-CACHE")).containsExactly("production/redis-cache");
        }
    }

    @Nested
    class QualifiedNames {
        @Test
        void serviceDotNamespaceResolvesAcrossNamespaces() {
            assertThat(envFrom("staging", "DB_HOST", "postgres-db.production")).containsExactly("production/postgres-db");
            assertThat(envFrom("staging", "DB_HOST", "postgres-db.production.svc")).containsExactly("production/postgres-db");
            assertThat(envFrom("staging", "DB_HOST", "postgres-db.production.svc.cluster.local")).containsExactly("production/postgres-db");
            assertThat(envFrom("staging", "DB_HOST", "postgres-db.production.svc.cluster.local.")).containsExactly("production/postgres-db");
        }

        @Test
        void svcFormsCountAnywhereButDottedNamesOnlyInHostPositions() {
            assertThat(env("NOTE", "failover goes to redis-cache.staging.svc when needed")).containsExactly("staging/redis-cache");
            assertThat(env("NOTE", "failover goes to redis-cache.staging when needed")).isEmpty();
        }

        @Test
        void anUnknownNamespaceOrServiceIsNothing() {
            assertThat(env("DB_HOST", "postgres-db.staging.svc.cluster.local")).isEmpty();
            assertThat(env("DB_HOST", "postgres-db.nowhere.svc")).isEmpty();
            assertThat(env("API", "https://api.stripe.com/v1")).isEmpty();
        }

        @Test
        void theConfiguredClusterDomainIsTheOneRecognized() {
            ServiceReferences corp = new ServiceReferences(
                    List.of(new KnownService("postgres-db", "production", null)), "corp.example");
            assertThat(names(corp.inEnv("DB", "x postgres-db.production.svc.corp.example y", "staging")))
                    .containsExactly("production/postgres-db");
            assertThat(names(corp.inEnv("DB", "x postgres-db.production.svc.cluster.local y", "staging"))).isEmpty();
        }

        @Test
        void podsOfAHeadlessServiceMeanTheService() {
            assertThat(env("KAFKA_BOOTSTRAP", "kafka-0.kafka-headless:9092,kafka-1.kafka-headless:9092"))
                    .containsExactly("production/kafka-headless");
            assertThat(envFrom("staging", "KAFKA_BOOTSTRAP", "kafka-0.kafka-headless.production.svc.cluster.local:9092"))
                    .containsExactly("production/kafka-headless");
            assertThat(envFrom("staging", "KAFKA_BOOTSTRAP", "kafka-0.kafka-headless.production:9092"))
                    .containsExactly("production/kafka-headless");
        }
    }

    @Nested
    class UrlsAndConnectionStrings {
        @Test
        void urlsOfAnyScheme() {
            assertThat(env("DATABASE_URL", "postgres://user:pass@postgres-db:5432/orders?sslmode=disable"))
                    .containsExactly("production/postgres-db");
            assertThat(env("DATABASE_URL", "postgresql://postgres-db/orders")).containsExactly("production/postgres-db");
            assertThat(envFrom("staging", "JDBC", "jdbc:postgresql://postgres-db.production.svc.cluster.local:5432/orders"))
                    .containsExactly("production/postgres-db");
            assertThat(env("REDIS_URL", "redis://:pw@redis-cache:6379/0")).containsExactly("production/redis-cache");
            assertThat(env("AMQP_URL", "amqp://guest:guest@rabbitmq:5672/")).containsExactly("production/rabbitmq");
            assertThat(env("AUTH", "http://auth-service:8080/v1")).containsExactly("production/auth-service");
            assertThat(env("MSSQL", "jdbc:sqlserver://mssql:1433;databaseName=app")).containsExactly("production/mssql");
        }

        @Test
        void everyHostOfAMultiHostUrl() {
            assertThat(env("MONGO_URL", "mongodb://mongo-a,mongo-b:27017,mongo-c/?replicaSet=rs0")).containsExactlyInAnyOrder(
                    "production/mongo-a", "production/mongo-b", "production/mongo-c");
        }

        @Test
        void thePathAndQueryOfAUrlAreNotHosts() {
            assertThat(env("URL", "http://auth-service:8080/app?db=api")).containsExactly("production/auth-service");
        }

        @Test
        void adoNetKeyValueStrings() {
            assertThat(env("CONN", "Server=mssql;Database=app;User Id=sa;Password=db;")).containsExactly("production/mssql");
            assertThat(env("CONN", "Server=tcp:mssql,1433;Database=app")).containsExactly("production/mssql");
            assertThat(env("CONN", "Data Source=mssql;Initial Catalog=app")).containsExactly("production/mssql");
        }

        @Test
        void libpqKeywordStrings() {
            assertThat(env("PG_DSN", "host=postgres-db port=5432 dbname=app user=app password=db"))
                    .containsExactly("production/postgres-db");
        }

        @Test
        void configMapFiles() {
            assertThat(configMap("config.json", "{\"cache\": {\"host\": \"redis-cache\", \"port\": 6379}, \"name\": \"app\"}"))
                    .containsExactly("production/redis-cache");
            assertThat(configMap("config.yaml", "cache:\n  host: redis-cache\n  db: 0\napp: frontend\nbroker:\n  url: amqp://rabbitmq:5672\n"))
                    .containsExactlyInAnyOrder("production/redis-cache", "production/rabbitmq");
            assertThat(configMap("application.properties", """
                    spring.datasource.url=jdbc:postgresql://postgres-db:5432/orders
                    spring.datasource.password=frontend
                    spring.data.redis.host=redis-cache
                    spring.application.name=app
                    """)).containsExactlyInAnyOrder("production/postgres-db", "production/redis-cache");
            assertThat(configMap("nginx.conf", "upstream backend { server auth-service:8080; }"))
                    .containsExactly("production/auth-service");
        }
    }

    @Nested
    class Secrets {
        @Test
        void aPasswordNamingAServiceIsNotAReference() {
            assertThat(env("DB_PASSWORD", "postgres-db")).isEmpty();
            assertThat(env("API_KEY", "frontend.production.svc")).isEmpty();
            assertThat(env("DATABASE_URL", "postgres://app:redis-cache@postgres-db:5432/x")).containsExactly("production/postgres-db");
            assertThat(env("DATABASE_URL", "postgres://frontend:6379@postgres-db:5432/x")).containsExactly("production/postgres-db");
            assertThat(env("CONN", "Server=mssql;Password=frontend.production.svc")).containsExactly("production/mssql");
        }

        @Test
        void evidenceNamesTheKeyNeverTheValue() {
            String value = "postgres://admin:hunter2-s3cret@postgres-db:5432/orders";
            Set<Reference> references = REFS.inEnv("DATABASE_URL", value, "production");
            assertThat(references).singleElement().satisfies(r -> {
                assertThat(r.evidence()).isEqualTo("env DATABASE_URL");
                assertThat(r.source()).isEqualTo(EdgeSource.ENV_VAR);
            });
            assertThat(references.toString()).doesNotContain("hunter2").doesNotContain("admin");

            Set<Reference> fromFile = REFS.inConfigMap("app-config", "application.properties",
                    "spring.datasource.url=jdbc:postgresql://admin:hunter2@postgres-db/orders", "production");
            assertThat(fromFile).singleElement().satisfies(r -> {
                assertThat(r.evidence()).isEqualTo("configmap app-config/application.properties");
                assertThat(r.source()).isEqualTo(EdgeSource.CONFIG_MAP);
            });
            assertThat(fromFile.toString()).doesNotContain("hunter2");
        }
    }

    @Test
    void aServiceNamedTwiceIsOneReference() {
        assertThat(REFS.inEnv("CACHE_URL", "redis://redis-cache:6379,redis-cache:6380,10.96.10.13", "production")).hasSize(1);
    }

    @Test
    void nothingOrEmptyIsNothing() {
        assertThat(REFS.inEnv("EMPTY", "", "production")).isEmpty();
        assertThat(REFS.inEnv("UNSET", null, "production")).isEmpty();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aClusterOfFiveThousandServicesIsLookedUpNotLoopedOver() {
        List<KnownService> known = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            known.add(new KnownService("svc-" + i, "ns-" + i % 50, "10.100." + i / 250 + "." + i % 250));
        }
        ServiceReferences refs = new ServiceReferences(known, "cluster.local");
        int found = 0;
        for (int w = 0; w < 5_000; w++) {
            String ns = "ns-" + w % 50;
            for (int e = 0; e < 20; e++) {
                int target = (w * 20 + e) % 5_000;
                String value = switch (e % 4) {
                    case 0 -> "postgres://u:p@svc-" + target + ":5432/db?sslmode=disable";
                    case 1 -> "svc-" + target + ".ns-" + target % 50 + ".svc.cluster.local:8080";
                    case 2 -> "some plain setting with several words and no hosts in it at all";
                    default -> "10.100." + target / 250 + "." + target % 250;
                };
                found += refs.inEnv("VAR_" + e, value, ns).size();
            }
        }
        assertThat(found).isGreaterThanOrEqualTo(50_000);
    }
}
