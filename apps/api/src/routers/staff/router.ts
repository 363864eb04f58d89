import { authedProcedure, publicProcedure, router } from '../../trpc.ts';
import { getStaffSettingsHandler, updateStaffSettingsHandler } from './settings.handler.ts';
import { getStaffSettingsInput, staffSettingsOutput, updateStaffSettingsInput } from './settings.schema.ts';

const tags = ['staff'];
const unknownStaff = { 404: 'No such staff member (to non-admins, also a user who is not staff)', 422: 'Invalid input, or (to an admin) the user is not staff' };

export const staffRouter = router({
  settings: router({
    get: publicProcedure
      .meta({ openapi: { method: 'GET', path: '/api/v1/staff/{staff_id}/settings', tags, summary: "A staff member's booking rules", protect: false, errorResponses: unknownStaff } })
      .input(getStaffSettingsInput)
      .output(staffSettingsOutput)
      .query(getStaffSettingsHandler),
    update: authedProcedure
      .meta({
        openapi: {
          method: 'PATCH',
          path: '/api/v1/staff/{staff_id}/settings',
          tags,
          summary: 'Set booking rules (the staff member or an admin)',
          protect: true,
          errorResponses: { ...unknownStaff, 403: 'Not your booking rules' },
        },
      })
      .input(updateStaffSettingsInput)
      .output(staffSettingsOutput)
      .mutation(updateStaffSettingsHandler),
  }),
});
