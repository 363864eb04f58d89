import type { AuthedContext } from '../../trpc.ts';
import { toUserOutput } from '../users/user.schema.ts';

export function meHandler({ ctx }: { ctx: AuthedContext }) {
  return toUserOutput(ctx.user);
}
