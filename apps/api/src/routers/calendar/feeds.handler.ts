import { DomainError } from '@appointments/domain';
import type { CalendarFeed } from '@appointments/db';
import { generateToken, hashToken } from '../../auth/tokens.ts';
import type { SessionContext, HandlerOptions } from '../../trpc.ts';
import { FEED_PATH, type createFeedInput, type revokeFeedInput } from './feeds.schema.ts';

function toFeedOutput(feed: CalendarFeed) {
  return { id: feed.id, name: feed.name, created_at: feed.createdAt.toISOString(), last_used_at: feed.lastUsedAt?.toISOString() ?? null };
}

/** A personal subscription URL: calendar apps cannot send an Authorization header, so the token rides in the URL. */
export async function createFeedHandler({ ctx, input }: HandlerOptions<SessionContext, typeof createFeedInput>) {
  const token = generateToken();
  const feed = await ctx.repos.calendarFeeds.create({ userId: ctx.user.id, tokenHash: hashToken(token), name: input.name ?? null });
  const feedPath = `${FEED_PATH}?token=${token}`;
  return { ...toFeedOutput(feed), token, feed_path: feedPath, feed_url: `${ctx.services.settings.publicUrl}${feedPath}` };
}

export async function listFeedsHandler({ ctx }: { ctx: SessionContext }) {
  return (await ctx.repos.calendarFeeds.listForUser(ctx.user.id)).map(toFeedOutput);
}

export async function revokeFeedHandler({ ctx, input }: HandlerOptions<SessionContext, typeof revokeFeedInput>): Promise<void> {
  if (!(await ctx.repos.calendarFeeds.revoke(input.id, ctx.user.id))) {
    throw new DomainError('CALENDAR.FEED_NOT_FOUND', `Calendar feed ${input.id} not found`);
  }
}
