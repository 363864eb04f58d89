import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, webhookSecretKey } from './secret.ts';

describe('webhook secrets', () => {
  it('are whsec_ and the base64 of 32 random bytes, which is their key', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecretKey(secret)).toEqual(Buffer.from(secret.slice('whsec_'.length), 'base64'));
    expect(webhookSecretKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('read without the prefix too, as Standard Webhooks libraries do', () => {
    const secret = generateWebhookSecret();
    expect(webhookSecretKey(secret.slice('whsec_'.length))).toEqual(webhookSecretKey(secret));
  });
});
