import { z } from 'zod';
import { userOutput } from './user.schema.ts';

export const listUsersInput = z.object({
  skip: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export const listUsersOutput = z
  .object({ items: z.array(userOutput), total: z.number().int(), skip: z.number().int(), limit: z.number().int() })
  .meta({ id: 'UserPage' });
