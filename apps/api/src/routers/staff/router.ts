import { authedProcedure, publicProcedure, router } from '../../trpc.ts';
import { getStaffHandler, listStaffHandler, updateStaffHandler } from './directory.handler.ts';
import { listStaffInput, listStaffOutput, staffIdInput, staffMemberOutput, updateStaffInput } from './directory.schema.ts';
import { getStaffSettingsHandler, updateStaffSettingsHandler } from './settings.handler.ts';
import { getStaffSettingsInput, staffSettingsOutput, updateStaffSettingsInput } from './settings.schema.ts';

const tags = ['staff'];
const unknownStaff = { 404: 'No such staff member (to non-admins, also a user who is not staff)', 422: 'Invalid input, or (to an admin) the user is not staff' };
const notListed = { 404: 'No such active staff member' };

export const staffRouter = router({
  list: publicProcedure
    .meta({
      openapi: { method: 'GET', path: '/api/v1/staff', tags, summary: 'The staff directory', description: 'Active staff members by id.', protect: false, errorResponses: { 422: 'Invalid paging' } },
      cursorInHeaders: true,
    })
    .input(listStaffInput)
    .output(listStaffOutput)
    .query(listStaffHandler),
  get: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/staff/{id}', tags, summary: 'A staff member', protect: false, errorResponses: notListed } })
    .input(staffIdInput)
    .output(staffMemberOutput)
    .query(getStaffHandler),
  update: authedProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/api/v1/staff/{id}',
        tags,
        summary: 'Set title and bio (the staff member or an admin)',
        protect: true,
        errorResponses: { ...notListed, 403: 'Not your directory entry', 422: 'Invalid title or bio' },
      },
      scope: 'users:write',
    })
    .input(updateStaffInput)
    .output(staffMemberOutput)
    .mutation(updateStaffHandler),
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
        scope: 'availability:write',
      })
      .input(updateStaffSettingsInput)
      .output(staffSettingsOutput)
      .mutation(updateStaffSettingsHandler),
  }),
});
