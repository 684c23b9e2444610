import nodemailer from 'nodemailer';

// Email leaves through SMTP when SMTP_URL is set (README "Configuration"); without a mailer the
// outbox delivers to the in-app mailbox (GET /notices). Timeouts are short so that one stuck
// server cannot outlast a notice's claim (domain/notices/delivery.ts claimLeaseMs).

export interface OutgoingMail {
  /** The notice's stable Message-ID, the same on every try. */
  messageId: string;
  to: string;
  /** The library's own address, so a patron's reply reaches a person. */
  replyTo: string | null;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Resolves when the server accepted the message; rejects with its answer otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 2, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 45_000 });
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}
