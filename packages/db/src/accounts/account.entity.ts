import { defineEntity, p } from '@mikro-orm/core';
import { ACCOUNT_TOKEN_PURPOSES } from '@appointments/domain';
import { UserSchema } from '../users/user.entity.ts';

/**
 * Single-use account links (password reset, email verification): the SHA-256 of the token, never
 * the token, so a leaked table grants nothing. Used ones stay until the sweep, so that a link
 * followed again answers "used" rather than "never issued".
 */
const AccountTokenSchema = defineEntity({
  name: 'AccountToken',
  tableName: 'account_tokens',
  properties: {
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade').index(),
    purpose: p.enum(ACCOUNT_TOKEN_PURPOSES),
    expiresAt: p.datetime().index(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export const ACCOUNT_MESSAGE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type AccountMessageStatus = (typeof ACCOUNT_MESSAGE_STATUSES)[number];

/**
 * The outbox of account emails (appointment emails have their own, keyed by appointment): written
 * with the token in the request's transaction, sent by the worker. `link` carries the token the
 * email must show, so it is cleared once the message is sent or has failed for good. A worker
 * claims a message (`locked_until`, counting the attempt) before sending it, as webhook deliveries.
 */
const AccountMessageSchema = defineEntity({
  name: 'AccountMessage',
  tableName: 'account_messages',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade').index(),
    kind: p.enum(ACCOUNT_TOKEN_PURPOSES),
    link: p.text().nullable(),
    status: p.enum(ACCOUNT_MESSAGE_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    nextAttemptAt: p.datetime().nullable(),
    lockedUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
  },
  // The worker's claim: pending ones by due time.
  indexes: [{ properties: ['status', 'nextAttemptAt'] }],
});

export class AccountTokenEntity extends AccountTokenSchema.class {}
AccountTokenSchema.setClass(AccountTokenEntity);
export class AccountMessageEntity extends AccountMessageSchema.class {}
AccountMessageSchema.setClass(AccountMessageEntity);
export { AccountTokenSchema, AccountMessageSchema };
