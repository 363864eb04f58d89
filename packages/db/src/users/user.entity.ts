import { defineEntity, p } from '@mikro-orm/core';
import { ROLES } from '@appointments/domain';

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    // Stored already lower-cased by the domain's email schema, so a plain unique index is case-insensitive in effect.
    email: p.string().length(254).unique(),
    fullName: p.string().length(200),
    role: p.enum(ROLES),
    // Empty: a client who booked as a guest and has set no password yet (the reset flow sets one).
    // Not nullable: SQLite cannot drop a NOT NULL without rebuilding the table, which the foreign
    // keys to users refuse inside a migration's transaction. The repository reads '' as null.
    passwordHash: p.string().length(255).hidden(),
    isActive: p.boolean().default(true),
    timezone: p.string().length(64),
    /** BCP 47; null: DEFAULT_LOCALE. What their emails are written in. */
    locale: p.string().length(35).nullable(),
    emailVerified: p.boolean().default(false),
    noShowCount: p.integer().default(0),
    completedCount: p.integer().default(0),
    isBlocked: p.boolean().default(false),
    // A staff member's public directory entry; read by the directory's own statements, never with the session's user.
    title: p.string().length(200).nullable(),
    bio: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class UserEntity extends UserSchema.class {}
UserSchema.setClass(UserEntity);
export { UserSchema };
