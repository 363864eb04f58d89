import { z } from 'zod';
import { adminSessionProcedure, router } from '../../trpc.ts';
import { createApiKeyHandler, listApiKeysHandler, revokeApiKeyHandler } from './api-keys.handler.ts';
import { apiKeyOutput, createApiKeyInput, createdApiKeyOutput, revokeApiKeyInput } from './api-keys.schema.ts';

const tags = ['api-keys'];
const adminSignedIn = { 403: 'Admin role required, signed in: API keys never manage keys' };

/** Keys for other systems, managed by admins signed in. */
export const apiKeysRouter = router({
  create: adminSessionProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/v1/api-keys',
        tags,
        summary: 'Create an API key (admin); the key is in this answer only',
        description: 'The key acts as an admin within its scopes: send it as `Authorization: Bearer <key>`. Each operation a key may call names the scope it needs.',
        protect: true,
        errorResponses: { ...adminSignedIn, 422: 'Invalid input: an unknown scope, or expires_at not in the future' },
      },
      successStatus: 201,
    })
    .input(createApiKeyInput)
    .output(createdApiKeyOutput)
    .mutation(createApiKeyHandler),

  list: adminSessionProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/api-keys', tags, summary: 'API keys not revoked (admin); never the keys themselves', protect: true, errorResponses: adminSignedIn } })
    .input(z.void())
    .output(z.array(apiKeyOutput))
    .query(listApiKeysHandler),

  revoke: adminSessionProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/api/v1/api-keys/{id}',
        tags,
        summary: 'Revoke an API key (admin); it stops working at once',
        protect: true,
        errorResponses: { ...adminSignedIn, 404: 'No such API key, or revoked already (API_KEY.NOT_FOUND)' },
      },
      successStatus: 204,
    })
    .input(revokeApiKeyInput)
    .output(z.void())
    .mutation(revokeApiKeyHandler),
});
