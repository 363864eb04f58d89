/**
 * Hands finished emails to an SMTP server or, with no MAIL_SERVER set, writes them as .eml files
 * under DATA_DIR/outbox (development, demos, and deployments that ship mail some other way).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { oneLine } from '@appointments/domain';
import type { WorkerEnv } from '../env.ts';

export type MailerEnv = Pick<
  WorkerEnv,
  'MAIL_USERNAME' | 'MAIL_PASSWORD' | 'MAIL_FROM' | 'MAIL_FROM_NAME' | 'MAIL_SERVER' | 'MAIL_PORT' | 'MAIL_TLS' | 'MAIL_SSL' | 'USE_CREDENTIALS' | 'DATA_DIR'
> &
  Partial<Pick<WorkerEnv, 'NOTIFY_CONCURRENCY'>>;

export interface OutgoingEmail {
  readonly to: { readonly name: string; readonly email: string };
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** The finished .ics, sent as the iTIP part calendar apps act on (appointment emails only). */
  readonly calendar?: { readonly method: 'REQUEST' | 'CANCEL'; readonly content: string };
  readonly headers: Readonly<Record<string, string>>;
  /** Names the .eml file in outbox mode: letters, digits, `.`, `_`, `-`. */
  readonly fileStem: string;
}

export interface Mailer {
  /** Where mail goes, for the startup log: `smtp://host:port` or the outbox directory. */
  readonly describe: string;
  /** Resolves once the server accepted the message (or the file is in place); rejects otherwise. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

/** SMTP timeouts: long enough for a slow server, short enough that a hung one fails the job. */
const TIMEOUT_MS = 30_000;
const FILE_STEM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function createMailer(env: MailerEnv): Mailer {
  return env.MAIL_SERVER ? smtpMailer(env, env.MAIL_SERVER) : outboxMailer(env);
}

/**
 * Addresses go in as objects so nodemailer encodes names: a name can never add a header or a
 * recipient. Name and subject are made one line again anyway, so no client shows a stray break.
 */
function message(env: MailerEnv, email: OutgoingEmail): SendMailOptions {
  const { calendar } = email;
  return {
    from: { name: env.MAIL_FROM_NAME, address: env.MAIL_FROM },
    to: { name: oneLine(email.to.name), address: email.to.email },
    subject: oneLine(email.subject),
    text: email.text,
    html: email.html,
    // RFC 3834: keeps vacation responders from answering a robot.
    headers: { 'Auto-Submitted': 'auto-generated', ...email.headers },
    ...(calendar && { icalEvent: { method: calendar.method, content: calendar.content, filename: 'invite.ics' } }),
  };
}

function smtpMailer(env: MailerEnv, host: string): Mailer {
  const credentials = env.USE_CREDENTIALS && env.MAIL_USERNAME ? { user: env.MAIL_USERNAME, pass: env.MAIL_PASSWORD ?? '' } : undefined;
  const transport = nodemailer.createTransport({
    pool: true,
    // One connection per concurrent send, so no send waits (untimed) for a free connection.
    maxConnections: env.NOTIFY_CONCURRENCY ?? 5,
    host,
    port: env.MAIL_PORT,
    secure: env.MAIL_SSL,
    // MAIL_TLS: refuse to go on without STARTTLS. Off, STARTTLS is still used when the server offers it.
    requireTLS: env.MAIL_TLS && !env.MAIL_SSL,
    ...(credentials && { auth: credentials }),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  // The message reaches the socket in one piece: streamed as built (~20 parts per email), each part
  // was a write of its own, a syscall and a wake-up of the server.
  transport.use('stream', (mail, done) => {
    // pipe, not pipeline: pipeline aborts a controller when it finishes, building a DOMException per message.
    mail.message.processFunc((input) => {
      const whole = new WholeMessage();
      input.once('error', (error) => whole.destroy(error));
      return input.pipe(whole);
    });
    done();
  });
  return {
    describe: `${env.MAIL_SSL ? 'smtps' : 'smtp'}://${host}:${env.MAIL_PORT}`,
    async send(email) {
      const info = await transport.sendMail(message(env, email));
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

/** Collects a message (a few kB) and passes it on as one chunk. */
class WholeMessage extends Transform {
  readonly #chunks: Buffer[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#chunks.push(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    done(null, Buffer.concat(this.#chunks));
  }
}

function outboxMailer(env: MailerEnv): Mailer {
  const dir = path.resolve(env.DATA_DIR, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    describe: dir,
    async send(email) {
      if (!FILE_STEM.test(email.fileStem)) throw new Error(`Unsafe .eml file name: ${JSON.stringify(email.fileStem)}`);
      const info = await transport.sendMail(message(env, email));
      if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer returned a stream despite `buffer: true`.');
      await mkdir(dir, { recursive: true });
      await writeAtomically(path.join(dir, `${email.fileStem}.eml`), info.message);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

/** Temp file, fsync, rename: a reader (or a crash) sees the whole file or none; `.tmp` is never `*.eml`. */
async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
