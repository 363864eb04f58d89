import { actedBy } from '@appointments/domain';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toUserOutput } from './user.schema.ts';
import type { unblockUserInput } from './unblock.schema.ts';

/** Lifts a no-show block; the no-show count is kept (it is history, not a penalty), and the lift is recorded. */
export async function unblockUserHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof unblockUserInput>) {
  const user = await ctx.services.db.transaction(async (repos) => {
    const updated = await repos.users.update(input.id, { isBlocked: false });
    await repos.userEvents.append({ userId: input.id, ...actedBy(ctx.user), at: ctx.now, action: 'unblocked', reason: null });
    return updated;
  });
  return toUserOutput(user);
}
