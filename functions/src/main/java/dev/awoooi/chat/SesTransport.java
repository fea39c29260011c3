package dev.awoooi.chat;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Sends each message through Amazon SES v2 as raw MIME (the sender must be a verified SES identity). The client is
 * built on the first message, not at start-up: most functions of the package never send one.
 */
public final class SesTransport implements EmailChannel.Transport {
    private final java.util.function.Supplier<SesV2Client> client;
    private SesV2Client ses;

    public SesTransport(java.util.function.Supplier<SesV2Client> client) {
        this.client = client;
    }

    @Override
    public synchronized void accept(EmailChannel.RawMail mail) {
        if (ses == null) {
            ses = client.get();
        }
        try {
            ses.sendEmail(r -> r.fromEmailAddress(mail.from()).destination(d -> d.toAddresses(mail.to()))
                    .content(c -> c.raw(raw -> raw.data(SdkBytes.fromByteArray(mail.mime())))));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            // SES's messages can quote the addresses: only the error's kind and code leave here
            String code = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service && service.awsErrorDetails() != null
                    ? service.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
            throw new IllegalStateException("SES did not take the e-mail: " + code);
        }
    }
}
