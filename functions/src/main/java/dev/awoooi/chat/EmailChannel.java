package dev.awoooi.chat;

import dev.awoooi.approval.Channel;
import dev.awoooi.approval.Identity;
import dev.awoooi.notify.PrivateChannel;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * E-mail, each to one person: a MIME message built with Jakarta Mail and handed to a transport (SES v2's raw send in
 * AWS, SMTP locally). The message says it was generated ({@code Auto-Submitted}), so no auto-reply comes back, and
 * carries no tracking and no remote content.
 */
public final class EmailChannel implements PrivateChannel {

    /** Sends the raw RFC 5322 bytes of one message; throws when it was not accepted. */
    public interface Transport extends Consumer<RawMail> {
    }

    /** One message's envelope and bytes. */
    public record RawMail(String from, String to, byte[] mime) {
        @Override
        public String toString() {
            return "RawMail[" + mime.length + " bytes]";
        }
    }

    private final String from;
    private final Transport transport;
    private final Session session = Session.getInstance(new Properties());

    public EmailChannel(String from, Transport transport) {
        this.from = from;
        this.transport = transport;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public void send(Identity to, PersonalMessage message) {
        if (to.channel() != Channel.EMAIL) {
            throw new IllegalArgumentException("not an e-mail identity: " + to.masked());
        }
        transport.accept(new RawMail(from, to.subject(), mime(to.subject(), message)));
    }

    byte[] mime(String to, PersonalMessage message) {
        try {
            MimeMessage mime = new MimeMessage(session);
            mime.setFrom(new InternetAddress(from, true));
            mime.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            mime.setSubject(oneLine(message.subject()), StandardCharsets.UTF_8.name());
            mime.setText(message.text() + "\n\nYour personal link (it signs as you; do not forward it):\n" + message.link() + "\n",
                    StandardCharsets.UTF_8.name());
            mime.setHeader("Auto-Submitted", "auto-generated");
            mime.setHeader("X-Auto-Response-Suppress", "All");
            mime.saveChanges();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            mime.writeTo(bytes);
            return bytes.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot build the e-mail: " + e.getClass().getSimpleName(), e);
        }
    }

    /** A header never carries a line break: alert text cannot add headers. */
    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
