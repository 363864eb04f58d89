import { z } from 'zod';
import { emailSchema, fullNameSchema, localeSchema, passwordSchema, roleSchema, timezoneSchema } from '@appointments/domain';
import { userOutput } from '../users/user.schema.ts';

export const registerInput = z.object({
  email: emailSchema,
  full_name: fullNameSchema,
  password: passwordSchema,
  role: roleSchema.optional().meta({ description: 'client (default); staff and admin need an admin token' }),
  timezone: timezoneSchema.optional().meta({ description: 'IANA zone; defaults to DEFAULT_TIMEZONE' }),
  locale: localeSchema.optional().meta({ description: 'BCP 47 language of their emails ("en", "de"); defaults to DEFAULT_LOCALE' }),
}).meta({
  // The seed README's requests; the second needs an admin's token.
  examples: [
    { email: 'client@example.com', full_name: 'Jane Client', password: 'password123' },
    { email: 'staff@example.com', full_name: 'John Staff', password: 'password123', role: 'staff', timezone: 'Europe/Berlin' },
  ],
});
export const registerOutput = userOutput;
