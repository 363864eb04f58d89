import { randomBytes } from 'node:crypto';

/** Standard Webhooks' secret format: a prefix naming it, then base64 of the key. */
const prefix = 'whsec_';

/** A new signing secret for a webhook endpoint: 32 random bytes, as `whsec_<base64>`. */
export const generateWebhookSecret = (): string => `${prefix}${randomBytes(32).toString('base64')}`;

/** The HMAC key a secret stands for; a bare base64 key is read as well, as Standard Webhooks libraries do. */
export const webhookSecretKey = (secret: string): Buffer => Buffer.from(secret.startsWith(prefix) ? secret.slice(prefix.length) : secret, 'base64');
