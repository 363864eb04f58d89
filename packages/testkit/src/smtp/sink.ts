/**
 * A real SMTP server in the test process: messages arrive over TCP exactly as a mail server would
 * see them, so tests check what nodemailer actually writes, not what we asked it to.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { createWaiters } from '../waiters.ts';

export interface SmtpSinkOptions {
  /** Refuse mail from clients that did not log in with `credentials`. */
  readonly authRequired?: boolean;
  readonly credentials?: { readonly username: string; readonly password: string };
}

/** What the client said in MAIL FROM / RCPT TO: the recipients that really get the message. */
export interface SinkEnvelope {
  readonly mailFrom: string | null;
  readonly rcptTo: string[];
}

export interface SmtpSink {
  readonly port: number;
  /** Parsed messages in arrival order; `raw[i]` and `envelopes[i]` belong to `messages[i]`. */
  readonly messages: ParsedMail[];
  readonly raw: string[];
  readonly envelopes: SinkEnvelope[];
  /** While on, every message is answered `451 Try again later` (and not stored). */
  refuse(on: boolean): void;
  /** Holds each message this long before storing and accepting it: a slow server, so sends are in flight. */
  delay(ms: number): void;
  /** Resolves once `count` messages (of those `which` picks) have arrived, with the first `count`; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number, which?: (mail: ParsedMail) => boolean): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export const SINK_CREDENTIALS = { username: 'sink-user', password: 'sink-password' } as const;

async function read(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function rejection(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A client that dies mid-session (crash tests SIGKILL workers) resets its connection, which
 * smtp-server reports as a server 'error'; unheard, that would crash the test process. The sink only
 * counts what arrived, so such drops are expected; anything else still surfaces.
 */
export function ignoreDroppedClient(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
}

/** A worker's mail settings for a sink listening on `port`: plain SMTP, no login. */
export function sinkMailEnv(port: number): Record<string, string> {
  return { MAIL_SERVER: '127.0.0.1', MAIL_PORT: String(port), MAIL_TLS: 'false', USE_CREDENTIALS: 'false', MAIL_FROM: 'bookings@example.com' };
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const credentials = options.credentials ?? SINK_CREDENTIALS;
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  const envelopes: SinkEnvelope[] = [];
  const waiters = createWaiters();
  let refusing = false;
  let delayMs = 0;

  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !options.authRequired,
    // No TLS here, so AUTH has to be allowed in the clear.
    allowInsecureAuth: true,
    // Lets close() end idle pooled client connections quickly instead of after 30 s.
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.username && auth.password === credentials.password) callback(null, { user: auth.username });
      else callback(rejection(535, 'Authentication failed'));
    },
    onData(stream, session, callback) {
      read(stream)
        .then(async (source) => {
          if (refusing) throw rejection(451, 'Try again later');
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          const parsed = await simpleParser(source);
          const { mailFrom, rcptTo } = session.envelope;
          messages.push(parsed);
          raw.push(source.toString('utf8'));
          envelopes.push({ mailFrom: mailFrom ? mailFrom.address : null, rcptTo: rcptTo.map((rcpt) => rcpt.address) });
          waiters.wake();
        })
        .then(() => callback(), callback);
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', ignoreDroppedClient);
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('SMTP sink is not listening on TCP.');
  const { port } = address;

  return {
    port,
    messages,
    raw,
    envelopes,
    refuse(on) {
      refusing = on;
    },
    delay(ms) {
      delayMs = ms;
    },
    waitFor(count, timeoutMs = 5000, which = () => true) {
      const picked = () => messages.filter(which);
      return waiters.until(
        () => (picked().length >= count ? picked().slice(0, count) : undefined),
        timeoutMs,
        () => `SMTP sink: ${picked().length} of ${count} messages after ${timeoutMs} ms`,
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
