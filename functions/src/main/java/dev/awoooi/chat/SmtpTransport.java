package dev.awoooi.chat;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.util.Properties;

/** Hands each message to an SMTP server (the local stack's mail catcher, or a relay), with timeouts. */
public final class SmtpTransport implements EmailChannel.Transport {
    private final Session session;

    public SmtpTransport(String host, int port) {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        props.put("mail.smtp.writetimeout", "10000");
        // a personal link signs as its owner: beyond this machine it travels encrypted or not at all
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
        props.put("mail.smtp.starttls.enable", Boolean.toString(!loopback));
        props.put("mail.smtp.starttls.required", Boolean.toString(!loopback));
        this.session = Session.getInstance(props);
    }

    @Override
    public void accept(EmailChannel.RawMail mail) {
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(mail.mime()));
            Transport.send(message, new InternetAddress[] {new InternetAddress(mail.to(), true)});
        } catch (MessagingException e) {
            // the server's words, not the address
            throw new IllegalStateException("the SMTP server did not take the e-mail: " + e.getClass().getSimpleName(), e);
        }
    }
}
