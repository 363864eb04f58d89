import { defineEntity, p } from '@mikro-orm/core';
import { UserSchema } from '../users/user.entity.ts';

/** A personal calendar subscription URL. Only the SHA-256 of its token is stored, like sessions. */
const CalendarFeedSchema = defineEntity({
  name: 'CalendarFeed',
  tableName: 'calendar_feeds',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade').index(),
    tokenHash: p.string().length(64).unique(),
    name: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
  },
});

export class CalendarFeedEntity extends CalendarFeedSchema.class {}
CalendarFeedSchema.setClass(CalendarFeedEntity);
export { CalendarFeedSchema };
