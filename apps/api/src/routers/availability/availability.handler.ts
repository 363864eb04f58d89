import { assertCanManageStaff, DomainError } from '@appointments/domain';
import type { Availability, Repositories } from '@appointments/db';
import type { AuthedContext, HandlerOptions, PublicContext } from '../../trpc.ts';
import { loadStaff } from '../staff/load-staff.ts';
import type { availabilityIdInput, createAvailabilityInput, listAvailabilityInput, RuleFields, updateAvailabilityInput } from './availability.schema.ts';
import { fieldsFromRule, ruleFromFields, toAvailabilityOutput } from './rule-fields.ts';

async function loadEntry(repos: Repositories, id: number): Promise<Availability> {
  const entry = await repos.availability.findById(id);
  if (!entry) throw new DomainError('AVAILABILITY.NOT_FOUND', `Availability entry ${id} not found`);
  return entry;
}

export async function createAvailabilityHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof createAvailabilityInput>) {
  const { staff_id: staffId, ...fields } = input;
  assertCanManageStaff(ctx.user, staffId);
  const staff = await loadStaff(ctx.repos, staffId, ctx.user);
  return toAvailabilityOutput(await ctx.repos.availability.create({ staffId, ...ruleFromFields(fields, staff.timezone) }));
}

export async function listAvailabilityHandler({ ctx, input }: HandlerOptions<PublicContext, typeof listAvailabilityInput>) {
  await loadStaff(ctx.repos, input.staff_id, null);
  return (await ctx.repos.availability.listForStaff(input.staff_id)).map(toAvailabilityOutput);
}

const TYPE_FIELDS = ['is_recurring', 'day_of_week', 'specific_date', 'start_datetime', 'end_datetime'] as const;

/** A PATCH overlays the fields it names; naming a type field (e.g. specific_date) replaces the entry's type. */
export async function updateAvailabilityHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof updateAvailabilityInput>) {
  const { id, ...patch } = input;
  const existing = await loadEntry(ctx.repos, id);
  assertCanManageStaff(ctx.user, existing.staffId);
  const staff = await loadStaff(ctx.repos, existing.staffId, ctx.user);
  const current = fieldsFromRule(existing);
  const base: RuleFields = TYPE_FIELDS.some((key) => patch[key] !== undefined)
    ? { kind: current.kind, start_time: current.start_time, end_time: current.end_time }
    : current;
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return toAvailabilityOutput(await ctx.repos.availability.update(id, ruleFromFields({ ...base, ...defined }, staff.timezone)));
}

export async function deleteAvailabilityHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof availabilityIdInput>): Promise<void> {
  const existing = await loadEntry(ctx.repos, input.id);
  assertCanManageStaff(ctx.user, existing.staffId);
  await ctx.repos.availability.delete(input.id);
}
