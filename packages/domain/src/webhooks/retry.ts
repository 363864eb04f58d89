/** How a delivery is retried: WEBHOOK_RETRY_DELAY_SECONDS and WEBHOOK_RETRY_LIMIT. */
export interface RetryPolicy {
  readonly baseDelaySeconds: number;
  /** Retries after the first attempt. */
  readonly limit: number;
}

/** An attempt's outcome as the sender saw it: a status code, or no answer at all (timeout, refused address, TLS…). */
export type AttemptOutcome = { readonly status: number } | { readonly error: string };

export type AttemptVerdict =
  | { readonly kind: 'delivered' }
  /** 410 Gone: the receiver says the endpoint is no more; it is deactivated and the delivery fails. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'retry'; readonly at: number }
  | { readonly kind: 'failed' };

/**
 * What follows an attempt, `retried` being the retries made before it in its budget. Any 2xx
 * delivers; anything else is retried with exponential backoff (base × 2^n before retry n, from 0)
 * until `limit` retries are spent, and then fails. With the defaults (30 s, 12 retries) the last
 * retry comes about 34 hours after the first attempt.
 */
export function judgeAttempt(outcome: AttemptOutcome, retried: number, policy: RetryPolicy, now: number): AttemptVerdict {
  if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) return { kind: 'delivered' };
  if ('status' in outcome && outcome.status === 410) return { kind: 'gone' };
  if (retried >= policy.limit) return { kind: 'failed' };
  return { kind: 'retry', at: now + policy.baseDelaySeconds * 1000 * 2 ** retried };
}
