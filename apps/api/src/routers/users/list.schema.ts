import { z } from 'zod';
import { userOutput } from './user.schema.ts';

export const listUsersInput = z
  .object({
    skip: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ skip: 0, limit: 50 });
export const listUsersOutput = z
  .object({ items: z.array(userOutput), total: z.number().int().min(0), skip: z.number().int().min(0), limit: z.number().int().min(1) })
  .meta({ id: 'UserPage' });
