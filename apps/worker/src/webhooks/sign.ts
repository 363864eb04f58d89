import { createHmac } from 'node:crypto';
import { webhookSecretKey } from '@appointments/runtime';

export interface SignatureInput {
  /** The delivery's id: the same on every attempt, so receivers can drop repeats. */
  readonly id: string;
  readonly timestamp: Date;
  /** The exact text sent as the body. */
  readonly body: string;
  /** The endpoint's secrets; two while one replaces the other, so receivers holding either accept. */
  readonly secrets: readonly string[];
}

export type SignatureHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

/** Standard Webhooks headers: `v1,` and the base64 HMAC-SHA256 of `id.seconds.body`, per secret. */
export function signatureHeaders({ id, timestamp, body, secrets }: SignatureInput): SignatureHeaders {
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  const signed = `${id}.${seconds}.${body}`;
  const signatures = secrets.map((secret) => `v1,${createHmac('sha256', webhookSecretKey(secret)).update(signed).digest('base64')}`);
  return { 'webhook-id': id, 'webhook-timestamp': seconds, 'webhook-signature': signatures.join(' ') };
}
