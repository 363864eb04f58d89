import type { SessionContext } from '../../trpc.ts';

/** Revokes the session this request authenticated with; the user's other sessions live on. */
export async function logoutHandler({ ctx }: { ctx: SessionContext }): Promise<void> {
  await ctx.repos.sessions.delete(ctx.session.id);
}
