package dev.awoooi.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's baseline: the same detectors written the usual way, one {@code java.util.regex} pattern per
 * type, each run over the whole text (as Presidio-style recognisers and most log scrubbers do).
 */
final class NaiveRegexDetectors {
    private record Rule(SecretType type, Pattern pattern, int group, Predicate<String> accept) {
    }

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final String H = "[0-9A-Fa-f]{1,4}";
    private static final String IPV6 = "(?:(?:" + H + ":){7}" + H + "|(?:" + H + ":){1,7}:|(?:" + H + ":){1,6}:" + H
            + "|(?:" + H + ":){1,5}(?::" + H + "){1,2}|(?:" + H + ":){1,4}(?::" + H + "){1,3}|(?:" + H + ":){1,3}(?::" + H + "){1,4}"
            + "|(?:" + H + ":){1,2}(?::" + H + "){1,5}|" + H + ":(?::" + H + "){1,6}|:(?::" + H + "){1,7}"
            + "|::(?:ffff(?::0{1,4})?:)?(?:" + OCTET + "\\.){3}" + OCTET + ")";

    private static final List<Rule> RULES = List.of(
            rule(SecretType.PRIVATE_KEY, "-----BEGIN ([A-Z0-9 ]{0,32})PRIVATE KEY((?: BLOCK)?)-----[\\s\\S]{0,16384}?-----END \\1PRIVATE KEY\\2-----", 0),
            rule(SecretType.JWT, "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*", 0),
            rule(SecretType.AWS_ACCESS_KEY_ID, "(?<![A-Za-z0-9])A[KS]IA[A-Z0-9]{16}(?![A-Za-z0-9])", 0),
            rule(SecretType.AWS_SECRET_ACCESS_KEY, "(?i)(?:secret_access_key|secretaccesskey|secret access key|aws_secret_key|secret-access-key)"
                    + "[\"'\\\\]*\\s*(?:[:=]|=>|:=)?\\s*[\"'\\\\]*([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", 1),
            rule(SecretType.GITHUB_TOKEN, "(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])", 0),
            rule(SecretType.GITLAB_TOKEN, "(?<![A-Za-z0-9])gl(?:pat|dt|rt|ptt|ft|soat|oas|cbt|imt|agent)-[A-Za-z0-9_-]{20,}(?:\\.[A-Za-z0-9_-]+)*", 0),
            rule(SecretType.SLACK_TOKEN, "(?<![A-Za-z0-9])xox[abposre]-[0-9]+-[A-Za-z0-9-]{8,}", 0),
            rule(SecretType.SLACK_TOKEN, "https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9]+/[A-Za-z0-9]+/[A-Za-z0-9]+", 0),
            rule(SecretType.STRIPE_KEY, "(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}", 0),
            rule(SecretType.GOOGLE_API_KEY, "(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", 0),
            rule(SecretType.ANTHROPIC_KEY, "(?<![A-Za-z0-9])sk-ant-(?:api|admin|oat|sid)\\d\\d-[A-Za-z0-9_-]{20,}", 0),
            rule(SecretType.OPENAI_KEY, "(?<![A-Za-z0-9])sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"
                    + "|[A-Za-z0-9]{48}(?![A-Za-z0-9]))", 0),
            new Rule(SecretType.URL_CREDENTIALS, Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://([^\\s/?#@:\"'<>]{0,256}:[^\\s/?#@\"'<>]{1,256})@(?=[A-Za-z0-9\\[])"),
                    1, v -> !Entropy.isPlaceholder(v.substring(v.indexOf(':') + 1))),
            new Rule(SecretType.BEARER_TOKEN, Pattern.compile("(?i)(?<![A-Za-z])bearer\\s+([A-Za-z0-9._~+/-]+=*)"), 1, Entropy::looksRandom),
            rule(SecretType.EMAIL, "(?<![\\w.+%-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![\\w-])(?!:[\\w~/.-])", 0),
            rule(SecretType.UUID, "(?<![A-Za-z0-9])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9])", 0),
            rule(SecretType.IPV6, "(?<![\\w.:])" + IPV6 + "(?![\\w:])", 0),
            rule(SecretType.IPV4, "(?<![\\w.])" + OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET + "(?!\\w|\\.\\d)", 0),
            new Rule(SecretType.CREDIT_CARD, Pattern.compile("(?<![\\w.])\\d(?:[ -]?\\d){12,18}(?![\\w])"), 0, NaiveRegexDetectors::luhnCard),
            new Rule(SecretType.GENERIC_SECRET, Pattern.compile("(?i)(?:password|passwd|pwd|secret|token|api_key|apikey|api-key|access_key|accesskey"
                    + "|auth_key|private_key|passphrase|credential)(?:_?key|_?token|_?value|s)?[\"'\\\\]*\\s*(?:[:=]|=>|:=)\\s*[\"'\\\\]*([^\\s\"',;`)}\\]>\\\\]{8,512})"),
                    1, Entropy::looksLikeSecretValue));

    private static Rule rule(SecretType type, String regex, int group) {
        return new Rule(type, Pattern.compile(regex), group, v -> true);
    }

    private static boolean luhnCard(String value) {
        char[] digits = value.replace(" ", "").replace("-", "").toCharArray();
        return ShapeDetectors.isCard(digits, digits.length);
    }

    private NaiveRegexDetectors() {
    }

    /** Every rule over the whole text, one pass each; overlaps settled the same way as the real scanner. */
    static List<Detection> scan(String text) {
        List<Detection> found = new ArrayList<>();
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                if (m.start(rule.group()) < m.end(rule.group()) && rule.accept().test(m.group(rule.group()))) {
                    found.add(new Detection(rule.type(), m.start(rule.group()), m.end(rule.group())));
                }
            }
        }
        return found.size() < 2 ? List.copyOf(found) : SecretScanner.settle(found);
    }
}
