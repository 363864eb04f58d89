import { z } from 'zod';
import { adminProcedure, authedProcedure, router } from '../../trpc.ts';
import { listUsersHandler } from './list.handler.ts';
import { listUsersInput, listUsersOutput } from './list.schema.ts';
import { updateUserHandler } from './update.handler.ts';
import { updateUserInput, updateUserOutput } from './update.schema.ts';
import { idParam, toUserOutput, userOutput } from './user.schema.ts';

const tags = ['users'];

export const usersRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/users', tags, summary: 'List users (admin)', protect: true } })
    .input(listUsersInput)
    .output(listUsersOutput)
    .query(listUsersHandler),

  update: authedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/api/v1/users/{id}', tags, summary: 'Update a user', protect: true } })
    .input(updateUserInput)
    .output(updateUserOutput)
    .mutation(updateUserHandler),

  unblock: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/api/v1/users/{id}/unblock', tags, summary: 'Lift a no-show block (admin)', protect: true } })
    .input(z.object({ id: idParam }))
    .output(userOutput)
    .mutation(async ({ ctx, input }) => toUserOutput(await ctx.repos.users.update(input.id, { isBlocked: false }))),
});
