import { adminProcedure, authedProcedure, router } from '../../trpc.ts';
import { listUsersHandler } from './list.handler.ts';
import { listUsersInput, listUsersOutput } from './list.schema.ts';
import { unblockUserHandler } from './unblock.handler.ts';
import { unblockUserInput, unblockUserOutput } from './unblock.schema.ts';
import { updateUserHandler } from './update.handler.ts';
import { updateUserInput, updateUserOutput } from './update.schema.ts';

const tags = ['users'];
const adminOnly = { 403: 'Admin role required' };

export const usersRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/users', tags, summary: 'List users (admin)', protect: true, errorResponses: adminOnly }, scope: 'users:read' })
    .input(listUsersInput)
    .output(listUsersOutput)
    .query(listUsersHandler),

  update: authedProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/api/v1/users/{id}',
        tags,
        summary: 'Update a user',
        protect: true,
        errorResponses: { 403: 'Not allowed to change this user or field', 404: 'No such user', 409: 'An admin cannot demote or deactivate themselves', 429: 'Too many wrong passwords' },
      },
      scope: 'users:write',
    })
    .input(updateUserInput)
    .output(updateUserOutput)
    .mutation(updateUserHandler),

  unblock: adminProcedure
    .meta({
      openapi: { method: 'POST', path: '/api/v1/users/{id}/unblock', tags, summary: 'Lift a no-show block (admin)', protect: true, errorResponses: { ...adminOnly, 404: 'No such user' } },
      scope: 'users:write',
    })
    .input(unblockUserInput)
    .output(unblockUserOutput)
    .mutation(unblockUserHandler),
});
