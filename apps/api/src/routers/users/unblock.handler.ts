import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toUserOutput } from './user.schema.ts';
import type { unblockUserInput } from './unblock.schema.ts';

/** Lifts a no-show block; the no-show count is kept (it is history, not a penalty). */
export async function unblockUserHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof unblockUserInput>) {
  return toUserOutput(await ctx.repos.users.update(input.id, { isBlocked: false }));
}
