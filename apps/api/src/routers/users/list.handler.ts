import type { z } from 'zod';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toUserOutput } from './user.schema.ts';
import type { listUsersInput, listUsersOutput } from './list.schema.ts';

export async function listUsersHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof listUsersInput>): Promise<z.output<typeof listUsersOutput>> {
  const page = await ctx.repos.users.list({ offset: input.skip, limit: input.limit });
  return { items: page.items.map(toUserOutput), total: page.total, skip: input.skip, limit: input.limit };
}
