import type { SessionContext } from '../../trpc.ts';
import { toUserOutput } from '../users/user.schema.ts';

export function meHandler({ ctx }: { ctx: SessionContext }) {
  return toUserOutput(ctx.user);
}
