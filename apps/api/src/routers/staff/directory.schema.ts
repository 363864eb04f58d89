import { z } from 'zod';
import { staffBioSchema, staffTitleSchema, type StaffProfile } from '@appointments/domain';
import { CURSOR_LIST_DEFAULTS, cursorListInputShape, cursorPageOutput, idOutput, idParam } from '../common.schema.ts';

/** The example is the story's John Staff (2), who gives consultations (service 1). */
export const staffMemberOutput = z
  .object({
    id: idOutput(2),
    full_name: z.string().meta({ examples: ['John Staff'] }),
    timezone: z.string().meta({ examples: ['Europe/Berlin'] }),
    title: z.string().nullable().meta({ examples: ['Senior consultant'] }),
    bio: z.string().nullable().meta({ examples: ['Ten years of first talks about what people need.'] }),
    service_ids: z.array(idOutput(1)).meta({ description: 'The active services they offer, ascending', examples: [[1]] }),
  })
  .meta({ id: 'StaffMember', description: 'An active staff member, as anyone may see them' });

export const listStaffInput = z
  .object({
    ...cursorListInputShape,
  })
  .default(CURSOR_LIST_DEFAULTS);
/** By id; over REST a plain array, the next cursor in headers. */
export const listStaffOutput = cursorPageOutput(staffMemberOutput);

export const staffIdInput = z.object({ id: idParam });

/** Each field: text sets it, null clears it, absent leaves it. */
export const updateStaffInput = z
  .object({
    id: idParam,
    title: staffTitleSchema.nullable().optional(),
    bio: staffBioSchema.nullable().optional(),
  })
  .meta({ examples: [{ id: 2, title: 'Senior consultant', bio: 'Ten years of first talks about what people need.' }, { id: 2, bio: null }] });

export function toStaffMemberOutput(profile: StaffProfile): z.output<typeof staffMemberOutput> {
  return {
    id: profile.id,
    full_name: profile.fullName,
    timezone: profile.timezone,
    title: profile.title,
    bio: profile.bio,
    service_ids: [...profile.serviceIds],
  };
}
