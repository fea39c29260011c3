package dev.awoooi.local.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One Lambda execution environment on this machine, started the way Lambda's managed Java runtime starts it: the
 * deployment package extracted into a task root that is the working directory, a fresh JVM with the runtime's flags
 * and class path (its runtime interface client, aws-lambda-java-core and -serialization) running {@code AWSLambda}
 * with the template's handler, a clean environment (Lambda's reserved variables plus the function's own), and the
 * Runtime API on loopback. With SnapStart the interface client runs the CRaC beforeCheckpoint hooks and calls
 * restore/next (where Lambda snapshots), then the afterRestore hooks, before its first invocation.
 *
 * <p>Used by the deployment-package integration test and by {@code scripts/bench-coldstart}.
 */
public final class LambdaSandbox implements AutoCloseable {

    /** What to start: a deployment package, its handler, the function's environment, its memory, SnapStart or not. */
    public record Launch(String functionName, Path packageZip, String handler, Map<String, String> environment,
                         int memoryMb, boolean snapStart) {
    }

    /** A function's answer with the time between handing it the event and receiving the answer. */
    public record Answer(String body, String errorType, double millis) {
        public boolean failed() {
            return errorType != null;
        }
    }

    private final Path taskRoot;
    private final Path log;
    private final RuntimeApi api;
    private final Process process;
    private final long startedNanos;

    private LambdaSandbox(Path taskRoot, Path log, RuntimeApi api, Process process, long startedNanos) {
        this.taskRoot = taskRoot;
        this.log = log;
        this.api = api;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    public static LambdaSandbox start(Launch launch) throws IOException {
        Path taskRoot = Files.createTempDirectory("awoooi-task-");
        extract(launch.packageZip(), taskRoot);
        Path log = Files.createTempFile("awoooi-lambda-" + launch.functionName() + "-", ".log");
        RuntimeApi api = new RuntimeApi(launch.functionName());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        long heapMb = Math.round(launch.memoryMb() * 0.85);
        // the flags of Lambda's java21 runtime (its bootstrap's command line), for the memory this function has
        command.addAll(List.of("-XX:MaxHeapSize=" + heapMb + "m", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr", "--enable-native-access=ALL-UNNAMED",
                "-classpath", String.join(File.pathSeparator, runtimeClassPath()),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", launch.handler()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path == null ? "/usr/bin:/bin" : path);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("_HANDLER", launch.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", launch.functionName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", launch.snapStart() ? "1" : "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(launch.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + launch.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", launch.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.putAll(launch.environment());
        long started = System.nanoTime();
        Process process = builder.start();
        return new LambdaSandbox(taskRoot, log, api, process, started);
    }

    /** The interface client and the libraries it needs, which Lambda's Java runtime puts on the system class path. */
    static List<String> runtimeClassPath() {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> wanted = new ArrayList<>();
        for (String prefix : List.of("aws-lambda-java-runtime-interface-client-", "aws-lambda-java-core-",
                "aws-lambda-java-serialization-", "utils-lite-")) {
            wanted.add(entries.stream().filter(e -> Path.of(e).getFileName().toString().startsWith(prefix) && e.endsWith(".jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(prefix + "*.jar is not on this class path")));
        }
        return wanted;
    }

    /**
     * Waits for the end of INIT (with SnapStart: the snapshot point, after the beforeCheckpoint hooks) and returns
     * its duration from the JVM's launch.
     *
     * @throws IllegalStateException with the environment's log when the runtime reports an init error or exits
     */
    public Duration awaitInit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (api.initError.isDone()) {
                throw new IllegalStateException("init failed: " + api.initError.join() + "\n" + output());
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited with " + process.exitValue() + " during init\n" + output());
            }
            try {
                return Duration.ofNanos(api.initDoneNanos.get(50, TimeUnit.MILLISECONDS) - startedNanos);
            } catch (TimeoutException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        throw new IllegalStateException("init took longer than " + timeout + "\n" + output());
    }

    /** Invokes the function with one event, as Lambda does, and waits for its answer. */
    public Answer invoke(String event, Duration timeout) {
        var pending = api.invoke(event.getBytes(StandardCharsets.UTF_8), timeout);
        try {
            RuntimeApi.Result result = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(result.text(), result.errorType(), (result.answeredNanos() - result.servedNanos()) / 1e6);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout + "\n" + output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The environment's peak resident memory so far (VmHWM), in MB; 0 where /proc is not there. */
    public double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** Everything the environment printed (its CloudWatch log, in AWS). */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the environment outright (SIGKILL, as Lambda ends an invocation at its timeout): no hook, no cleanup in it. */
    public void kill() {
        process.destroyForcibly();
        close();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        api.close();
        delete(taskRoot);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file; nothing depends on it
        }
    }

    private static void extract(Path zip, Path into) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("no deployment package at " + zip + " (build it: ./mvnw -DskipTests package)");
        }
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target);
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Environment variable names for dotted property names (Boot binds them back): awoooi.tables.vault → AWOOOI_TABLES_VAULT. */
    public static Map<String, String> asEnvironment(Map<String, String> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        properties.forEach((name, value) -> env.put(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace("-", ""), value));
        return env;
    }
}
