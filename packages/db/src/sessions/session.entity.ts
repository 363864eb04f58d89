import { defineEntity, p } from '@mikro-orm/core';
import { UserSchema } from '../users/user.entity.ts';

const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    // SHA-256 of the bearer token, hex: a leaked table does not yield usable tokens.
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade').index(),
    expiresAt: p.datetime().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SessionEntity extends SessionSchema.class {}
SessionSchema.setClass(SessionEntity);
export { SessionSchema };
