import { composeAccountEmail, judgeAttempt, type Branding, type RetryPolicy } from '@appointments/domain';
import type { AccountMessageOutcome, ClaimedAccountMessage, Database } from '@appointments/db';
import type { Logger } from 'pino';
import type { Mailer } from '../mail/mailer.ts';
import type { EmailRenderer } from '../mail/render.ts';

export interface AccountMessageOptions {
  readonly db: Database;
  readonly mailer: Mailer;
  readonly renderer: EmailRenderer;
  /** DEFAULT_LOCALE for people who chose no language, and the deployment's branding. */
  readonly language: { readonly defaultLocale: string; readonly branding: Branding };
  readonly logger: Logger;
  /** How often due messages are looked for. */
  readonly pollMs: number;
  /** Messages sent at once (NOTIFY_CONCURRENCY). */
  readonly concurrency: number;
  /** The appointment emails' retry settings (NOTIFY_RETRY_DELAY_SECONDS, NOTIFY_RETRY_LIMIT). */
  readonly retry: RetryPolicy;
}

export interface AccountMessageLoop {
  /** When a claim or a record last succeeded: the loop's liveness for /healthz. */
  readonly lastOk: number;
  /** Stops claiming, then waits up to `graceMs` for the sends in flight to be recorded. */
  stop(graceMs: number): Promise<void>;
}

/** A claim outlives one send (the mailer's stages time out at 30 s each) and its recording; only a dead worker lets one run out. */
export const CLAIM_MS = 5 * 60_000;

/** Sends one claimed message; what to record: sent, or, on any failure, a retry with backoff until the retries run out. */
export async function sendAccountMessage(
  { mailer, renderer, language }: Pick<AccountMessageOptions, 'mailer' | 'renderer' | 'language'>,
  claim: ClaimedAccountMessage,
  retry: RetryPolicy,
  now: Date,
): Promise<AccountMessageOutcome> {
  const content = composeAccountEmail(claim.kind, { name: claim.recipient.fullName, email: claim.recipient.email }, claim.link, {
    locale: claim.recipient.locale ?? language.defaultLocale,
    branding: language.branding,
  });
  try {
    const rendered = await renderer.renderAccount(content);
    await mailer.send({
      to: content.recipient,
      ...rendered,
      headers: { 'X-Account-Message-Id': String(claim.id) },
      fileStem: `${now.toISOString().replace(/[:.]/g, '-')}-${claim.kind}-${claim.id}`,
    });
    return { kind: 'sent' };
  } catch (error) {
    const message = (error as Error).message;
    const verdict = judgeAttempt({ error: message }, claim.attempt - 1, retry, now.getTime());
    return verdict.kind === 'retry' ? { kind: 'retry', at: new Date(verdict.at), error: message } : { kind: 'failed', error: message };
  }
}

/**
 * The sender of account emails: every `pollMs` (at once after a full batch), claims the due
 * messages, sends them and records each outcome. A sent message is never claimed again; the one
 * way one goes twice is a worker dying between the server's acceptance and the record (as for
 * appointment emails), which is why a failed record is tried again a few times first.
 */
export function startAccountMessages({ db, mailer, renderer, language, logger, pollMs, concurrency, retry }: AccountMessageOptions): AccountMessageLoop {
  const state = { stopped: false, lastOk: Date.now() };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const record = async (claim: ClaimedAccountMessage, outcome: AccountMessageOutcome, log: Logger): Promise<boolean> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.fork().accountMessages.recordAttempt(claim, outcome, new Date());
      } catch (error) {
        if (attempt >= 3) throw error;
        log.warn({ err: error, attempt }, 'could not record an account email attempt; retrying');
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  };

  const deliver = async (claim: ClaimedAccountMessage) => {
    const log = logger.child({ accountMessageId: claim.id, kind: claim.kind, attempt: claim.attempt });
    try {
      const outcome = await sendAccountMessage({ mailer, renderer, language }, claim, retry, new Date());
      const recorded = await record(claim, outcome, log);
      state.lastOk = Date.now();
      if (!recorded) log.warn('account email attempt made after its claim ran out; another worker has it');
      else if (outcome.kind === 'sent') log.info('account email sent');
      else if (outcome.kind === 'retry') log.info({ error: outcome.error, next: outcome.at }, 'account email failed; retrying later');
      else log.error({ error: outcome.error }, 'account email failed for good');
    } catch (error) {
      log.warn({ err: error }, 'could not record an account email attempt; it goes again once its claim runs out');
    }
  };

  const pass = async (): Promise<number> => {
    const now = new Date();
    const claims = await db.fork().accountMessages.claimDue(now, new Date(now.getTime() + CLAIM_MS), concurrency);
    state.lastOk = Date.now();
    await Promise.all(claims.map(deliver));
    return claims.length;
  };

  const loop = () => {
    running = pass().then(
      (claimed) => schedule(claimed === concurrency ? 0 : pollMs),
      (error: unknown) => {
        logger.warn({ err: error }, 'claiming account emails failed; retrying');
        schedule(pollMs);
      },
    );
  };
  const schedule = (ms: number) => {
    if (!state.stopped) timer = setTimeout(loop, ms);
  };
  loop();

  return {
    get lastOk() {
      return state.lastOk;
    },
    async stop(graceMs) {
      state.stopped = true;
      clearTimeout(timer);
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
