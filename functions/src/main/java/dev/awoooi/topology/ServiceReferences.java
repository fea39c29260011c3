package dev.awoooi.topology;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which services of the cluster a piece of workload configuration points at: an env var of a pod template, or a
 * value of a ConfigMap the pod reads. The cluster adapter turns every reference into an edge.
 *
 * <p>Values are scanned, never kept: they hold passwords, so a reference carries only where it was seen (the key),
 * not what was written there. A value is cut into host-like words that are looked up in maps, so the cost of a
 * value grows with its length, not with the number of services in the cluster.
 *
 * <p>A name qualified with {@code .svc} (or an IPv4 cluster IP) counts wherever it appears: nothing else looks like
 * it. A bare or dotted name ({@code redis-cache}, {@code auth.production}) counts only where a host is written: the
 * whole value, after {@code //} or {@code @}, after a host-like key ({@code host=}, {@code Server=},
 * {@code "host": }), before {@code :port}, or in a comma list continuing one of those. Short common service names
 * such as {@code app} or {@code db} would otherwise match every label, word and password in sight.
 */
public final class ServiceReferences {

    /** A Service of the cluster that a workload could reach; {@code clusterIp} is null or "None" when headless. */
    public record KnownService(String name, String namespace, String clusterIp) {
        public KnownService {
            if (name == null || name.isBlank() || namespace == null || namespace.isBlank()) {
                throw new IllegalArgumentException("a known service needs a name and a namespace");
            }
        }
    }

    /** One service a configuration entry refers to; {@code evidence} names the entry ("env DATABASE_URL"), never its value. */
    public record Reference(KnownService service, EdgeSource source, String evidence) {
    }

    /** What a key says about the value written after it. */
    private enum KeyRole { HOST, NEVER_HOST, IDENTITY, OTHER }

    private static final Set<String> HOST_KEYS = Set.of("HOST", "HOSTS", "HOSTNAME", "HOSTNAMES", "SERVER", "SERVERS",
            "ADDRESS", "ADDRESSES", "ADDR", "ENDPOINT", "ENDPOINTS", "BROKER", "BROKERS", "UPSTREAM", "UPSTREAMS", "URL",
            "URLS", "URI", "URIS", "DSN");
    /** Keys whose value is a secret or an image reference: nothing written there is a dependency. */
    private static final Set<String> NEVER_HOST_KEYS = Set.of("PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "TOKEN",
            "KEY", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PASSPHRASE", "IMAGE", "REPOSITORY", "TAG");
    /** Keys whose value is a name that often equals a service's (POSTGRES_DB=orders, OTEL_SERVICE_NAME=order-api). */
    private static final Set<String> IDENTITY_KEYS = Set.of("USER", "USERNAME", "LOGIN", "NAME", "ID", "UID", "DB",
            "DATABASE", "DBNAME", "SCHEMA", "TOPIC", "QUEUE", "EXCHANGE", "BUCKET", "GROUP", "NAMESPACE");
    /** The tails of the env vars kubelet injects per Service ({@code REDIS_CACHE_SERVICE_HOST}, {@code REDIS_CACHE_PORT_6379_TCP}). */
    private static final Pattern LINK_TAIL =
            Pattern.compile("SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?|PORT_\\d{1,5}_(?:TCP|UDP|SCTP)(?:_PROTO|_PORT|_ADDR)?");
    private static final Pattern HOST_LIST = Pattern.compile(
            "\\s*+[\"']?+[A-Za-z0-9][A-Za-z0-9.-]*+(?::\\d{1,5}+)?+(?:\\s*+,\\s*+[A-Za-z0-9][A-Za-z0-9.-]*+(?::\\d{1,5}+)?+)*+[\"']?+\\s*+");
    private static final Pattern IPV4 = Pattern.compile("(?:\\d{1,3}\\.){3}\\d{1,3}");
    /** Below this a {@code name:n} is far likelier an image tag ({@code postgres:16}) than a port. */
    private static final int LOWEST_PORT = 80;

    private final Map<String, Map<String, KnownService>> byNamespace = new HashMap<>();
    private final Map<String, Map<String, KnownService>> byLinkName = new HashMap<>();
    private final Map<String, KnownService> byClusterIp = new HashMap<>();
    private final String domainSuffix;

    /**
     * @param known every Service of the cluster the workloads could reach
     * @param clusterDomain the cluster's DNS domain, "cluster.local" unless the cluster was set up otherwise
     */
    public ServiceReferences(Collection<KnownService> known, String clusterDomain) {
        String domain = clusterDomain == null || clusterDomain.isBlank() ? "cluster.local" : clusterDomain.strip();
        domainSuffix = ".svc." + trimDots(domain.toLowerCase(Locale.ROOT));
        for (KnownService service : known) {
            byNamespace.computeIfAbsent(service.namespace(), ns -> new HashMap<>()).put(service.name(), service);
            byLinkName.computeIfAbsent(service.namespace(), ns -> new HashMap<>())
                    .put(service.name().toUpperCase(Locale.ROOT).replace('-', '_'), service);
            String ip = service.clusterIp();
            if (ip != null && IPV4.matcher(ip).matches()) {
                byClusterIp.put(ip, service);
            }
        }
    }

    /** The services an env var of a pod template in {@code fromNamespace} refers to. */
    public Set<Reference> inEnv(String name, String value, String fromNamespace) {
        return referencedBy(EdgeSource.ENV_VAR, "env " + name, name, value, fromNamespace);
    }

    /**
     * The services one entry of a ConfigMap refers to, read by a pod in {@code fromNamespace}. An entry that becomes
     * an env var ({@code envFrom}) is passed with the env var's name as {@code key}; a mounted file with its file name.
     */
    public Set<Reference> inConfigMap(String configMap, String key, String value, String fromNamespace) {
        return referencedBy(EdgeSource.CONFIG_MAP, "configmap " + configMap + "/" + key, key, value, fromNamespace);
    }

    private Set<Reference> referencedBy(EdgeSource source, String evidence, String key, String value, String namespace) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a reference is seen from a namespace");
        }
        Set<KnownService> found = new LinkedHashSet<>();
        if (key != null) {
            linked(key, value, namespace, found);
        }
        KeyRole role = key == null ? KeyRole.OTHER : roleOf(key);
        if (value != null && !value.isEmpty() && role != KeyRole.NEVER_HOST) {
            scan(value, role != KeyRole.IDENTITY && HOST_LIST.matcher(value).matches(), namespace, found);
        }
        if (found.isEmpty()) {
            return Set.of();
        }
        Set<Reference> references = new LinkedHashSet<>();
        for (KnownService service : found) {
            references.add(new Reference(service, source, evidence));
        }
        return references;
    }

    /** The docker-link env convention: the key alone names the service, whatever the value. */
    private void linked(String key, String value, String namespace, Set<KnownService> found) {
        Map<String, KnownService> links = byLinkName.get(namespace);
        if (links == null || !(key.contains("_SERVICE_") || key.contains("_PORT"))) {
            return;
        }
        for (int i = key.indexOf('_', 1); i > 0; i = key.indexOf('_', i + 1)) {
            String tail = key.substring(i + 1);
            // NAME_PORT alone ("DB_PORT=5432") is any port setting; only kubelet's tcp://ip:port form is a link.
            boolean link = LINK_TAIL.matcher(tail).matches()
                    || tail.equals("PORT") && value != null
                            && (value.startsWith("tcp://") || value.startsWith("udp://") || value.startsWith("sctp://"));
            KnownService service = link ? links.get(key.substring(0, i)) : null;
            if (service != null) {
                found.add(service);
            }
        }
    }

    private void scan(String value, boolean wholeValueIsHosts, String namespace, Set<KnownService> found) {
        int length = value.length();
        int userinfoFrom = -1;
        int userinfoTo = -1;
        int lastHostEnd = -1;
        int i = 0;
        while (i < length) {
            if (!wordChar(value.charAt(i))) {
                if (value.startsWith("//", i)) {
                    int at = userinfoEnd(value, i + 2);
                    if (at > 0) {
                        userinfoFrom = i + 2;
                        userinfoTo = at;
                    }
                }
                i++;
                continue;
            }
            int start = i;
            boolean underscore = false;
            while (i < length && wordChar(value.charAt(i))) {
                underscore |= value.charAt(i) == '_';
                i++;
            }
            int end = i;
            while (end > start && value.charAt(end - 1) == '.') {
                end--;
            }
            if (underscore || end == start || !Character.isLetterOrDigit(value.charAt(start))
                    || start >= userinfoFrom && start < userinfoTo) {
                lastHostEnd = -1;
                continue;
            }
            KeyRole before = keyBefore(value, start);
            if (before == KeyRole.NEVER_HOST) {
                lastHostEnd = -1;
                continue;
            }
            boolean hostPosition = wholeValueIsHosts
                    || before == KeyRole.HOST
                    || value.startsWith("//", start - 2)
                    || start > 0 && value.charAt(start - 1) == '@'
                    || portAfter(value, end)
                    || lastHostEnd >= 0 && continuesList(value, lastHostEnd, start);
            KnownService service = resolve(value.substring(start, end).toLowerCase(Locale.ROOT), hostPosition, namespace);
            if (service != null) {
                found.add(service);
            }
            lastHostEnd = hostPosition ? end : -1;
            if (hostPosition) {
                i = afterPort(value, end, i);
            }
        }
    }

    /**
     * Looks a host up the way the pod's resolver would: a name with fewer than five dots is tried in the pod's own
     * namespace first ({@code a.b} is pod {@code a} of headless service {@code b} there), then as
     * {@code service.namespace}, then as {@code pod.service.namespace}.
     */
    private KnownService resolve(String host, boolean hostPosition, String namespace) {
        if (Character.isDigit(host.charAt(0))) {
            // Service names start with a letter, so a word starting with a digit can only be a cluster IP.
            return IPV4.matcher(host).matches() ? byClusterIp.get(host) : null;
        }
        boolean qualified = false;
        if (host.endsWith(domainSuffix)) {
            host = host.substring(0, host.length() - domainSuffix.length());
            qualified = true;
        } else if (host.endsWith(".svc")) {
            host = host.substring(0, host.length() - ".svc".length());
            qualified = true;
        }
        if (!qualified && !hostPosition || host.isEmpty()) {
            return null;
        }
        int first = host.indexOf('.');
        if (first < 0) {
            return qualified ? null : find(namespace, host);
        }
        int second = host.indexOf('.', first + 1);
        if (second < 0) {
            String left = host.substring(0, first);
            String right = host.substring(first + 1);
            KnownService headless = qualified ? null : find(namespace, right);
            return headless != null ? headless : find(right, left);
        }
        if (host.indexOf('.', second + 1) < 0) {
            return find(host.substring(second + 1), host.substring(first + 1, second));
        }
        return null;
    }

    private KnownService find(String namespace, String name) {
        Map<String, KnownService> services = byNamespace.get(namespace);
        return services == null ? null : services.get(name);
    }

    /** The role of the key a value was written under: {@code host=}, {@code "host": "}, {@code Server=tcp:}. */
    private static KeyRole keyBefore(String value, int start) {
        int j = skipBack(value, start - 1);
        if (j < 0 || value.charAt(j) != '=' && value.charAt(j) != ':') {
            return KeyRole.OTHER;
        }
        int keyEnd = skipBack(value, j - 1) + 1;
        int keyStart = keyEnd;
        while (keyStart > 0 && wordChar(value.charAt(keyStart - 1))) {
            keyStart--;
        }
        if (keyStart == keyEnd) {
            return KeyRole.OTHER;
        }
        if (value.regionMatches(true, keyStart, "tcp", 0, 3) && keyEnd - keyStart == 3) {
            // ADO.NET's Server=tcp:host,1433 names the protocol between the key and the host.
            return keyBefore(value, keyStart) == KeyRole.HOST ? KeyRole.HOST : KeyRole.OTHER;
        }
        if (value.regionMatches(true, keyEnd - 6, "source", 0, 6) && value.regionMatches(true, keyEnd - 11, "data ", 0, 5)) {
            return KeyRole.HOST;
        }
        return roleOf(value.substring(keyStart, keyEnd));
    }

    /** By the key's last word: DB_HOST, spring.redis.host, redisHost, "Host" are all hosts. */
    private static KeyRole roleOf(String key) {
        int e = key.length();
        while (e > 0 && !Character.isLetterOrDigit(key.charAt(e - 1))) {
            e--;
        }
        int s = e;
        while (s > 0 && Character.isLetterOrDigit(key.charAt(s - 1))) {
            s--;
            if (Character.isUpperCase(key.charAt(s)) && s > 0 && Character.isLowerCase(key.charAt(s - 1))) {
                break;
            }
        }
        String word = key.substring(s, e).toUpperCase(Locale.ROOT);
        if (HOST_KEYS.contains(word)) {
            return KeyRole.HOST;
        }
        if (NEVER_HOST_KEYS.contains(word)) {
            return KeyRole.NEVER_HOST;
        }
        return IDENTITY_KEYS.contains(word) ? KeyRole.IDENTITY : KeyRole.OTHER;
    }

    private static int skipBack(String value, int j) {
        while (j >= 0 && (value.charAt(j) == ' ' || value.charAt(j) == '\t' || value.charAt(j) == '"' || value.charAt(j) == '\'')) {
            j--;
        }
        return j;
    }

    /** The end of a URL's {@code user:password@}, or -1: the authority runs to the first / ? # ; quote or space. */
    private static int userinfoEnd(String value, int from) {
        int at = -1;
        for (int k = from; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '/' || c == '?' || c == '#' || c == ';' || c == '"' || c == '\'' || c == '<' || c == '>'
                    || Character.isWhitespace(c)) {
                break;
            }
            if (c == '@') {
                at = k;
            }
        }
        return at;
    }

    /** {@code :port} follows, a real port rather than an image tag ({@code postgres:16}, {@code rabbitmq:3.13-management}). */
    private static boolean portAfter(String value, int end) {
        if (end >= value.length() - 1 || value.charAt(end) != ':') {
            return false;
        }
        int k = end + 1;
        int port = 0;
        while (k < value.length() && Character.isDigit(value.charAt(k)) && k - end <= 5) {
            port = port * 10 + value.charAt(k) - '0';
            k++;
        }
        boolean digits = k > end + 1;
        boolean boundary = k == value.length() || !wordChar(value.charAt(k)) && value.charAt(k) != ':';
        return digits && boundary && port >= LOWEST_PORT && port <= 65535;
    }

    /** Past a host's {@code :port}, so the port is not read as a word that ends the host list. */
    private static int afterPort(String value, int end, int next) {
        if (next != end || end >= value.length() || value.charAt(end) != ':') {
            return next;
        }
        int k = end + 1;
        while (k < value.length() && Character.isDigit(value.charAt(k))) {
            k++;
        }
        return k > end + 1 && (k == value.length() || !wordChar(value.charAt(k))) ? k : next;
    }

    /** Only {@code :port}, a comma and spaces lie between the host before and this word: a host list goes on. */
    private static boolean continuesList(String value, int from, int to) {
        int k = from;
        if (k < to && value.charAt(k) == ':') {
            k++;
            while (k < to && Character.isDigit(value.charAt(k))) {
                k++;
            }
        }
        while (k < to && value.charAt(k) == ' ') {
            k++;
        }
        if (k >= to || value.charAt(k) != ',') {
            return false;
        }
        k++;
        while (k < to && value.charAt(k) == ' ') {
            k++;
        }
        return k == to;
    }

    private static boolean wordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_';
    }

    private static String trimDots(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '.') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '.') {
            to--;
        }
        return s.substring(from, to);
    }
}
