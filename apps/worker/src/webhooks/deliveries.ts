import type { ClaimedDelivery, Database } from '@appointments/db';
import type { Logger } from 'pino';
import { attempt, type SendSettings } from './attempt.ts';

export interface DeliveryLoopOptions {
  readonly db: Database;
  readonly logger: Logger;
  /** How often due deliveries are looked for when nothing wakes the loop sooner. */
  readonly pollMs: number;
  /** POSTs in flight at once. */
  readonly concurrency: number;
  readonly send: SendSettings;
}

export interface DeliveryLoop {
  /** Looks for due deliveries now (the relay just fanned events out). */
  wake(): void;
  /** When a claim or a record last succeeded: the loop's liveness for /healthz. */
  readonly lastOk: number;
  /** Stops claiming, then waits up to `graceMs` for the POSTs in flight to be recorded. */
  stop(graceMs: number): Promise<void>;
}

/**
 * A claim outlives the POST it covers (at most the timeout) and the recording after it; only a
 * worker that died mid-delivery leaves one to run out, and the delivery then goes again.
 */
const claimFor = (timeoutMs: number) => 2 * timeoutMs + 5_000;

/**
 * The webhook sender: claims due deliveries, as many as it has free slots (so no claim waits for
 * a slot while its time runs), posts each and records what came of it. While every slot is taken,
 * each finished POST claims the next one; otherwise it looks again every `pollMs` or when woken.
 */
export function startDeliveries({ db, logger, pollMs, concurrency, send }: DeliveryLoopOptions): DeliveryLoop {
  const inFlight = new Set<Promise<void>>();
  const claimMs = claimFor(send.timeoutMs);
  const state = { stopped: false, lastOk: Date.now(), backlog: false, again: false };
  let timer: NodeJS.Timeout | undefined;
  let claiming: Promise<void> | undefined;

  const deliver = async (claim: ClaimedDelivery) => {
    const log = logger.child({ deliveryId: claim.id, webhookId: claim.webhook.id, messageId: claim.messageId, attempt: claim.attempt });
    try {
      const outcome = await attempt(claim, send);
      const recorded = await db.fork().webhookDeliveries.recordAttempt(claim, outcome, new Date());
      state.lastOk = Date.now();
      if (!recorded) log.warn('webhook attempt made after its claim ran out; another worker has it');
      else if (outcome.kind === 'delivered') log.debug({ status: outcome.statusCode }, 'webhook delivered');
      else if (outcome.kind === 'retry') log.info({ status: outcome.statusCode, error: outcome.error, next: new Date(outcome.at) }, 'webhook attempt failed; retrying later');
      else log.warn({ outcome: outcome.kind, error: outcome.error }, outcome.kind === 'gone' ? 'webhook endpoint answered 410 Gone; deactivated' : 'webhook delivery failed for good');
    } catch (error) {
      log.warn({ err: error }, 'could not record a webhook attempt; it goes again once its claim runs out');
    }
  };

  const claimDue = async () => {
    const free = concurrency - inFlight.size;
    state.backlog = free === 0;
    if (free === 0) return;
    const now = new Date();
    const claims = await db.fork().webhookDeliveries.claimDue(now, new Date(now.getTime() + claimMs), free);
    state.lastOk = Date.now();
    // Every slot filled: more may be due, so each finished POST claims again.
    state.backlog = claims.length === free;
    for (const claim of claims) {
      const posting: Promise<void> = deliver(claim).finally(() => {
        inFlight.delete(posting);
        if (state.backlog) run();
      });
      inFlight.add(posting);
    }
  };

  // One claim at a time; a wake during one runs another right after it.
  function run(): void {
    if (state.stopped) return;
    if (claiming) {
      state.again = true;
      return;
    }
    clearTimeout(timer);
    claiming = claimDue()
      .catch((error: unknown) => logger.warn({ err: error }, 'claiming webhook deliveries failed; retrying'))
      .finally(() => {
        claiming = undefined;
        if (state.stopped) return;
        if (state.again) {
          state.again = false;
          run();
        } else timer = setTimeout(run, pollMs);
      });
  }
  run();

  return {
    wake: run,
    get lastOk() {
      return state.lastOk;
    },
    async stop(graceMs) {
      state.stopped = true;
      clearTimeout(timer);
      await claiming;
      await Promise.race([Promise.allSettled(inFlight), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
