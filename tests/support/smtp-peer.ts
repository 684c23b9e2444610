import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server inside the test (smtp-server on 127.0.0.1, a free port), for the app to send
// notices to through SMTP_URL: tests read what arrived, and choose how each message is answered.

export interface ReceivedMail {
  messageId: string;
  /** Envelope recipients. */
  to: string[];
  from: string;
  subject: string;
  replyTo: string | null;
  text: string;
}

/** How the peer answers a message: 250, a temporary refusal (451), or never (the test ends the sender). */
export type Answer = 'accept' | 'reject' | 'never';

export interface SmtpPeer {
  url: string;
  /** Messages answered 250, in order. */
  accepted: ReceivedMail[];
  /** Every message whose data arrived, whatever the answer. */
  seen: ReceivedMail[];
  /** Decides the answer to each message; accepts all by default. */
  answer: (mail: ReceivedMail) => Answer;
  /** Resolves once `count` messages have been accepted (rejects after `timeoutMs`). */
  waitForAccepted(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function unfoldHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_all, enc: string, text: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_all, hex: string) => `%${hex}`);
  // keep literal percent signs: only the =XX escapes became %XX
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

function parse(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = unfoldHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return {
    messageId: headers.get('message-id') ?? '',
    to: envelope.to,
    from: envelope.from,
    subject: decodeWords(headers.get('subject') ?? ''),
    replyTo: headers.get('reply-to') ?? null,
    text: text.replace(/\r\n/g, '\n').replace(/\n$/, ''),
  };
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // the app's pooled connections stay open: close them soon after the test is done
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
        const mail = parse(Buffer.concat(chunks).toString('utf8'), envelope);
        peer.seen.push(mail);
        const answer = peer.answer(mail);
        if (answer === 'never') return;
        if (answer === 'reject') {
          callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          return;
        }
        peer.accepted.push(mail);
        callback(null);
        for (const waiter of [...waiters]) waiter();
      });
    },
  });
  const peer: SmtpPeer = {
    url: '',
    accepted: [],
    seen: [],
    answer: () => 'accept',
    waitForAccepted(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (peer.accepted.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the SMTP peer accepted ${peer.accepted.length} of ${count} messages`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  // a sender killed in the middle of a message resets its connection: its crash, not the peer's
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return peer;
}
