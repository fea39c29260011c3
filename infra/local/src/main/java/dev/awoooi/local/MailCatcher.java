package dev.awoooi.local;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack's mail server: GreenMail, a real SMTP server on 127.0.0.1, which the functions send approvers'
 * personal links to as they would send them to SES. Each message can be read back ({@code GET /local/mail}), as its
 * recipient would read it.
 */
public final class MailCatcher implements AutoCloseable {
    private static final Pattern LINK = Pattern.compile("https?://\\S+/approvals/\\S+");

    private final GreenMail mail;

    private MailCatcher(GreenMail mail) {
        this.mail = mail;
    }

    public static MailCatcher start() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        return new MailCatcher(mail);
    }

    /** "host:port" of its SMTP server. */
    public String smtp() {
        return "127.0.0.1:" + mail.getSmtp().getPort();
    }

    /** Every message received, oldest first: to, subject, text, and the approval link it carries, if any. */
    public List<Map<String, Object>> messages() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            try {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("to", message.getRecipients(Message.RecipientType.TO)[0].toString().toLowerCase(Locale.ROOT));
                m.put("from", message.getFrom()[0].toString());
                m.put("subject", message.getSubject());
                String text = String.valueOf(message.getContent());
                m.put("text", text);
                Matcher link = LINK.matcher(text);
                m.put("link", link.find() ? link.group() : null);
                m.put("autoSubmitted", message.getHeader("Auto-Submitted", null));
                out.add(m);
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("cannot read a caught message", e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        mail.stop();
    }
}
