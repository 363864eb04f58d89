import { assertCanManageStaff, assertListedStaff } from '@appointments/domain';
import type { AuthedContext, HandlerOptions, PublicContext } from '../../trpc.ts';
import { listCursor } from '../cursor.ts';
import { toStaffMemberOutput, type listStaffInput, type staffIdInput, type updateStaffInput } from './directory.schema.ts';

const cursors = listCursor<readonly [id: number]>('staff', 1);

export async function listStaffHandler({ ctx, input }: HandlerOptions<PublicContext, typeof listStaffInput>) {
  const after = cursors.after(input.cursor, [], { name: 'offset', value: input.offset });
  const page = await ctx.repos.staffDirectory.list({ limit: input.limit, offset: input.offset, after });
  return { items: page.items.map(toStaffMemberOutput), next_cursor: cursors.next(page, [], (last) => [last.id]) };
}

export async function getStaffHandler({ ctx, input }: HandlerOptions<PublicContext, typeof staffIdInput>) {
  const profile = await ctx.repos.staffDirectory.findById(input.id);
  assertListedStaff(profile, input.id);
  return toStaffMemberOutput(profile);
}

/** Who may is decided first, so someone else's id and a missing one answer alike (403). */
export async function updateStaffHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof updateStaffInput>) {
  assertCanManageStaff(ctx.user, input.id);
  const profile = await ctx.repos.staffDirectory.update(input.id, { title: input.title, bio: input.bio });
  assertListedStaff(profile, input.id);
  return toStaffMemberOutput(profile);
}
