package dev.awoooi.privacy;

import dev.awoooi.privacy.SecretScanner.KeywordDetector;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys and tokens with a documented prefix or keyword: the prefix is found with {@code indexOf}, then the
 * provider's shape is matched right there. Shapes follow the providers' own documentation (and gitleaks' rules).
 */
final class KeyDetectors {
    private KeyDetectors() {
    }

    /**
     * A detector for values that begin at (or shortly after) a literal trigger.
     *
     * @param ignoreCase triggers match in any case; the pattern must then be case-insensitive too
     * @param group      the pattern group that is the secret (0: all of it)
     * @param window     how far past the trigger the pattern may look
     * @param wordStart  the trigger must not continue a word ({@code ghp_} yes, {@code ://} no)
     */
    record Triggered(SecretType type, List<String> triggers, boolean ignoreCase, Pattern pattern, int group,
                     int window, Predicate<String> accept, boolean wordStart) implements KeywordDetector {

        Triggered(SecretType type, List<String> triggers, boolean ignoreCase, Pattern pattern, int group, int window,
                  Predicate<String> accept) {
            this(type, triggers, ignoreCase, pattern, group, window, accept, true);
        }

        @Override
        public List<String> keywords() {
            return triggers;
        }

        @Override
        public boolean caseSensitive() {
            return !ignoreCase;
        }

        @Override
        public int matchAt(String s, int at, String keyword, List<Detection> out) {
            if (wordStart && at > 0 && ShapeDetectors.isAlnum(s.charAt(at - 1))) {
                return -1;
            }
            Matcher m = pattern.matcher(s).useTransparentBounds(true).useAnchoringBounds(false);
            m.region(at, Math.min(s.length(), at + window));
            if (!m.lookingAt() || m.start(group) >= m.end(group) || !accept.test(s.substring(m.start(group), m.end(group)))) {
                return -1;
            }
            out.add(new Detection(type, m.start(group), m.end(group)));
            return m.end();
        }
    }

    private static final String B64URL = "[A-Za-z0-9_-]";

    static List<KeywordDetector> all() {
        return List.of(
                new Triggered(SecretType.JWT, List.of("eyJ"), false, Pattern.compile(
                        "eyJ" + B64URL + "{8,}+\\." + B64URL + "{8,}+\\." + B64URL + "*+"), 0, 16_384, v -> true),
                new Triggered(SecretType.AWS_ACCESS_KEY_ID, List.of("AKIA", "ASIA"), false, Pattern.compile(
                        "A[KS]IA[A-Z0-9]{16}(?![A-Za-z0-9])"), 0, 64, v -> true),
                new Triggered(SecretType.AWS_SECRET_ACCESS_KEY,
                        List.of("secret_access_key", "secretaccesskey", "secret access key", "aws_secret_key", "secret-access-key"), true,
                        Pattern.compile("(?:secret_access_key|secretaccesskey|secret access key|aws_secret_key|secret-access-key)"
                                + "[\"'\\\\]*\\s*(?:[:=]|=>|:=)?\\s*[\"'\\\\]*([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
                                Pattern.CASE_INSENSITIVE), 1, 128, v -> true),
                new Triggered(SecretType.GITHUB_TOKEN, List.of("gh", "github_pat_"), false, Pattern.compile(
                        "(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])"), 0, 128, v -> true),
                new Triggered(SecretType.GITLAB_TOKEN, List.of("gl"), false, Pattern.compile(
                        "gl(?:pat|dt|rt|ptt|ft|soat|oas|cbt|imt|agent)-" + B64URL + "{20,}(?:\\." + B64URL + "+)*"), 0, 512, v -> true),
                new Triggered(SecretType.SLACK_TOKEN, List.of("xox"), false, Pattern.compile(
                        "xox[abposre]-[0-9]+-[A-Za-z0-9-]{8,}"), 0, 256, v -> true),
                new Triggered(SecretType.SLACK_TOKEN, List.of("https://hooks.slack.com/"), false, Pattern.compile(
                        "https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9]+/[A-Za-z0-9]+/[A-Za-z0-9]+"), 0, 256, v -> true),
                new Triggered(SecretType.STRIPE_KEY, List.of("sk_", "rk_"), false, Pattern.compile(
                        "[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"), 0, 256, v -> true),
                new Triggered(SecretType.GOOGLE_API_KEY, List.of("AIza"), false, Pattern.compile(
                        "AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"), 0, 64, v -> true),
                new Triggered(SecretType.ANTHROPIC_KEY, List.of("sk-ant-"), false, Pattern.compile(
                        "sk-ant-(?:api|admin|oat|sid)\\d\\d-" + B64URL + "{20,}"), 0, 512, v -> true),
                new Triggered(SecretType.OPENAI_KEY, List.of("sk-"), false, Pattern.compile(
                        "sk-(?:(?:proj|svcacct|admin|None)-" + B64URL + "{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48}(?![A-Za-z0-9]))"),
                        0, 512, v -> true),
                new PrivateKeyBlock(),
                // scheme://user:password@host — the userinfo is the secret; the host stays readable.
                new Triggered(SecretType.URL_CREDENTIALS, List.of("://"), false, Pattern.compile(
                        "://([^\\s/?#@:\"'<>]{0,256}+:[^\\s/?#@\"'<>]{1,256}+)@(?=[A-Za-z0-9\\[])"), 1, 600,
                        KeyDetectors::notPlaceholderPassword, false),
                new Triggered(SecretType.BEARER_TOKEN, List.of("bearer"), true, Pattern.compile(
                        "bearer\\s++([A-Za-z0-9._~+/-]++=*+)", Pattern.CASE_INSENSITIVE), 1, 4096, Entropy::looksRandom));
    }

    /**
     * A PEM private key: from {@code -----BEGIN … PRIVATE KEY-----} to its matching END line; a block cut off
     * before its END line (a truncated annotation) is hidden through the end of its base64 body.
     */
    static final class PrivateKeyBlock implements KeywordDetector {
        private static final Pattern HEADER = Pattern.compile("-----BEGIN ([A-Z0-9 ]{0,32})PRIVATE KEY((?: BLOCK)?)-----");
        private static final Pattern BODY = Pattern.compile("(?:[A-Za-z0-9+/=\\r\\n]|\\\\[nr])++");
        private static final int MAX_BLOCK = 16_384;

        @Override
        public List<String> keywords() {
            return List.of("-----BEGIN ");
        }

        @Override
        public boolean caseSensitive() {
            return true;
        }

        @Override
        public int matchAt(String s, int at, String keyword, List<Detection> out) {
            Matcher header = HEADER.matcher(s).region(at, Math.min(s.length(), at + 64));
            if (!header.lookingAt()) {
                return -1;
            }
            String end = "-----END " + header.group(1) + "PRIVATE KEY" + header.group(2) + "-----";
            int endAt = s.indexOf(end, header.end());
            int stop;
            if (endAt >= 0 && endAt - at <= MAX_BLOCK) {
                stop = endAt + end.length();
            } else {
                Matcher body = BODY.matcher(s).region(header.end(), Math.min(s.length(), header.end() + MAX_BLOCK));
                stop = body.lookingAt() ? body.end() : header.end();
            }
            out.add(new Detection(SecretType.PRIVATE_KEY, at, stop));
            return stop;
        }
    }

    private static boolean notPlaceholderPassword(String userinfo) {
        String password = userinfo.substring(userinfo.indexOf(':') + 1);
        return !password.isEmpty() && !Entropy.isPlaceholder(password);
    }
}
