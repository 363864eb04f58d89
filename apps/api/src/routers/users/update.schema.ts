import { z } from 'zod';
import { fullNameSchema, localeSchema, passwordSchema, roleSchema, timezoneSchema } from '@appointments/domain';
import { idParam } from '../common.schema.ts';
import { userOutput } from './user.schema.ts';

export const updateUserInput = z.object({
  id: idParam,
  full_name: fullNameSchema.optional(),
  timezone: timezoneSchema.optional(),
  locale: localeSchema.nullable().optional().meta({ description: 'BCP 47 language of their emails; null: DEFAULT_LOCALE' }),
  role: roleSchema.optional().meta({ description: 'Admin only' }),
  is_active: z.boolean().optional().meta({ description: 'Admin only; deactivating revokes all sessions' }),
  password: passwordSchema.optional().meta({ description: 'Own account only; other sessions are revoked' }),
  current_password: z.string().max(1024).optional().meta({ description: 'Required with password' }),
}).meta({
  examples: [
    { id: 3, full_name: 'Jane Q. Client', timezone: 'Europe/Berlin' },
    { id: 3, password: 'new-password-456', current_password: 'password123' },
    { id: 3, is_active: false },
  ],
});
export const updateUserOutput = userOutput;
