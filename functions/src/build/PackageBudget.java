import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The size budget of the Lambda deployment packages, run by the build (exec-maven-plugin, package phase) as a
 * single-file program: {@code java PackageBudget.java --max-zipped=BYTES --max-unzipped=BYTES PACKAGE.zip...}.
 *
 * <p>Zipped is the file Lambda receives (50 MB for a direct upload); unzipped is what Lambda extracts and counts
 * against its 250 MiB quota: the sum of the zip's entries, jars in lib/ counted as the files they are. Expanded is for
 * people only: the classes and resources inside those jars, what the JVM may load. Over budget, the build fails and
 * names the largest parts, so the next dependency cannot quietly break the deploy.
 */
public final class PackageBudget {

    public static void main(String[] args) throws IOException {
        long maxZipped = Long.MAX_VALUE;
        long maxUnzipped = Long.MAX_VALUE;
        List<Path> packages = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--max-zipped=")) {
                maxZipped = Long.parseLong(arg.substring("--max-zipped=".length()));
            } else if (arg.startsWith("--max-unzipped=")) {
                maxUnzipped = Long.parseLong(arg.substring("--max-unzipped=".length()));
            } else {
                packages.add(Path.of(arg));
            }
        }
        if (packages.isEmpty()) {
            System.err.println("usage: java PackageBudget.java --max-zipped=BYTES --max-unzipped=BYTES PACKAGE.zip...");
            System.exit(2);
        }
        List<String> over = new ArrayList<>();
        for (Path zip : packages) {
            if (!Files.isRegularFile(zip)) {
                System.err.println("package budget: " + zip + " does not exist");
                System.exit(2);
            }
            long zipped = Files.size(zip);
            long unzipped = 0;
            long expanded = 0;
            Map<String, long[]> parts = new LinkedHashMap<>();
            try (ZipFile file = new ZipFile(zip.toFile())) {
                for (var entries = file.entries(); entries.hasMoreElements(); ) {
                    ZipEntry entry = entries.nextElement();
                    if (entry.isDirectory()) {
                        continue;
                    }
                    long size = entry.getSize();
                    unzipped += size;
                    String part = entry.getName().startsWith("lib/") ? entry.getName().substring(4) : "(classes and resources at the root)";
                    long inside = entry.getName().endsWith(".jar") ? expandedSize(file, entry) : size;
                    expanded += inside;
                    long[] sizes = parts.computeIfAbsent(part, k -> new long[2]);
                    sizes[0] += size;
                    sizes[1] += inside;
                }
            }
            boolean fits = zipped <= maxZipped && unzipped <= maxUnzipped;
            System.out.printf(Locale.ROOT, "package budget: %s %s: zipped %s (max %s), unzipped %s (max %s), expanded %s, %d parts%n",
                    fits ? "OK  " : "OVER", zip.getFileName(), mb(zipped), mb(maxZipped), mb(unzipped), mb(maxUnzipped),
                    mb(expanded), parts.size());
            if (!fits) {
                over.add(zip.getFileName().toString());
                System.out.println("  largest parts (file size / expanded):");
                parts.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                        .limit(15)
                        .forEach(p -> System.out.printf(Locale.ROOT, "    %10s %10s  %s%n", mb(p.getValue()[0]), mb(p.getValue()[1]), p.getKey()));
            }
        }
        if (!over.isEmpty()) {
            System.err.println("package budget exceeded by " + over + ": remove dead weight (exclusions), never minimizeJar");
            System.exit(1);
        }
    }

    private static long expandedSize(ZipFile file, ZipEntry jar) throws IOException {
        long total = 0;
        try (InputStream in = file.getInputStream(jar); ZipInputStream inner = new ZipInputStream(in)) {
            byte[] buffer = new byte[64 * 1024];
            for (ZipEntry entry; (entry = inner.getNextEntry()) != null; ) {
                if (entry.getSize() >= 0) {
                    total += entry.getSize();
                } else {
                    for (int n; (n = inner.read(buffer)) > 0; ) {
                        total += n;
                    }
                }
            }
        }
        return total;
    }

    private static String mb(long bytes) {
        return bytes == Long.MAX_VALUE ? "none" : String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
