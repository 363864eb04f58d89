import { z } from 'zod';
import { roleSchema, userWire, type User } from '@appointments/domain';
import { countOutput, idOutput, instantOutput } from '../common.schema.ts';

/** The user as every API face returns it (seed field names); never the password. The example is Jane Client. */
export const userOutput = z
  .object({
    id: idOutput(3),
    email: z.string().meta({ examples: ['client@example.com'] }),
    full_name: z.string().meta({ examples: ['Jane Client'] }),
    role: roleSchema.meta({ examples: ['client'] }),
    is_active: z.boolean().meta({ examples: [true] }),
    timezone: z.string().meta({ description: 'IANA time zone, e.g. Europe/Berlin', examples: ['Europe/Berlin'] }),
    locale: z.string().nullable().meta({ description: 'BCP 47 language of their emails; null: DEFAULT_LOCALE', examples: ['de'] }),
    email_verified: z.boolean().meta({ examples: [false] }),
    no_show_count: countOutput(0),
    completed_count: countOutput(2),
    is_blocked: z.boolean().meta({ examples: [false] }),
    created_at: instantOutput.meta({ examples: ['2026-01-12T16:40:00.000Z'] }),
  })
  .meta({ id: 'User' });

export type UserOutput = z.infer<typeof userOutput>;

/** The wire shape is the domain's (userWire), which webhooks send too; this checks it against the schema. */
export const toUserOutput: (user: User) => UserOutput = userWire;
