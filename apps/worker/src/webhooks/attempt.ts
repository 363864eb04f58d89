import { judgeAttempt, type RetryPolicy } from '@appointments/domain';
import type { AttemptRecord, ClaimedDelivery } from '@appointments/db';
import { postWebhook, type WebhookPostResult } from '@appointments/runtime';
import { signatureHeaders } from './sign.ts';

export interface SendSettings {
  /** The whole POST: resolving, connecting, sending and reading the answer. */
  readonly timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: otherwise only public addresses are connected to. */
  readonly allowPrivate: boolean;
  readonly retry: RetryPolicy;
}

/** Why a claimed delivery of a deactivated endpoint failed without being posted. */
export const DEACTIVATED = 'The endpoint is deactivated';

/**
 * What one POST came to, as its delivery records it: the retry rules' verdict, with the answer's
 * status and, for anything but a 2xx, the start of its body (or why no answer came).
 */
export function attemptRecord(result: WebhookPostResult, retried: number, policy: RetryPolicy, now: number): AttemptRecord {
  const statusCode = result.kind === 'response' ? result.status : null;
  const error = result.kind === 'error' ? result.error : result.body || `HTTP ${result.status}`;
  const verdict = judgeAttempt(result.kind === 'response' ? { status: result.status } : { error: result.error }, retried, policy, now);
  switch (verdict.kind) {
    case 'delivered':
      // Only an answer delivers.
      return { kind: 'delivered', statusCode: statusCode! };
    case 'gone':
      return { kind: 'gone', error };
    case 'retry':
      return { kind: 'retry', at: verdict.at, statusCode, error };
    case 'failed':
      return { kind: 'failed', statusCode, error };
  }
}

/**
 * Posts one claimed delivery, signed with its endpoint's secrets as of now, and says what to record.
 * A deactivated endpoint is not posted to: its delivery fails.
 */
export async function attempt(claim: ClaimedDelivery, settings: SendSettings): Promise<AttemptRecord> {
  if (!claim.webhook.isActive) return { kind: 'failed', statusCode: null, error: DEACTIVATED };
  const headers = signatureHeaders({ id: claim.messageId, timestamp: new Date(), body: claim.body, secrets: claim.webhook.secrets });
  const result = await postWebhook({ url: claim.webhook.url, headers, body: claim.body, timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivate });
  return attemptRecord(result, claim.retried, settings.retry, Date.now());
}
