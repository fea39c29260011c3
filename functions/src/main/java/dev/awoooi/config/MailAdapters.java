package dev.awoooi.config;

import dev.awoooi.chat.EmailChannel;
import dev.awoooi.chat.SesTransport;
import dev.awoooi.chat.SmtpTransport;
import dev.awoooi.notify.PrivateChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.util.List;

/**
 * The private channels personal links go through. Only the "core" package carries Jakarta Mail and SES (notify runs
 * there); in the "cluster" package this configuration is skipped, read from the class file without loading it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "jakarta.mail.Session")
public class MailAdapters {
    private static final Logger log = LoggerFactory.getLogger(MailAdapters.class);

    /** E-mail when a sender is configured: over SMTP where a server is named, else through SES. */
    @Bean
    PrivateChannels privateChannels(AwoooiProperties props) {
        var mail = props.mail();
        if (mail.from().isBlank()) {
            log.error("no e-mail sender is configured (AWOOOI_MAIL_FROM, the template's MailFrom, is empty): approvers are "
                    + "sent their personal links only where another private channel reaches them; each one not sent is audited");
            return new PrivateChannels(List.of());
        }
        EmailChannel.Transport transport;
        if (!mail.smtp().isBlank()) {
            int colon = mail.smtp().lastIndexOf(':');
            transport = new SmtpTransport(mail.smtp().substring(0, colon), Integer.parseInt(mail.smtp().substring(colon + 1)));
        } else {
            var ses = SesV2Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
            String endpoint = props.endpoints() == null ? null : props.endpoints().ses();
            if (endpoint != null && !endpoint.isBlank()) {
                ses.endpointOverride(java.net.URI.create(endpoint));
            }
            transport = new SesTransport(ses::build);
        }
        return new PrivateChannels(List.of(new EmailChannel(mail.from(), transport)));
    }

    /** The private channels configured, in the order they are tried. */
    public record PrivateChannels(List<PrivateChannel> all) {
    }
}
