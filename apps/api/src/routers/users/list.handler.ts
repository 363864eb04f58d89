import type { z } from 'zod';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { listCursor } from '../cursor.ts';
import { toUserOutput } from './user.schema.ts';
import type { listUsersInput, listUsersOutput } from './list.schema.ts';

const cursors = listCursor<readonly [id: number]>('users', 1);

export async function listUsersHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof listUsersInput>): Promise<z.output<typeof listUsersOutput>> {
  const after = cursors.after(input.cursor, [], { name: 'skip', value: input.skip });
  const page = await ctx.repos.users.list({ offset: input.skip, limit: input.limit, after });
  return {
    items: page.items.map(toUserOutput),
    total: after ? null : await ctx.repos.users.count(),
    skip: input.skip,
    limit: input.limit,
    next_cursor: cursors.next(page, [], (last) => [last.id]),
  };
}
