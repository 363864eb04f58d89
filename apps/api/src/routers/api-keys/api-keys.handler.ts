import { DomainError, parseRequestDateTime } from '@appointments/domain';
import { createApiKey } from '../../auth/api-keys.ts';
import type { HandlerOptions, SessionContext } from '../../trpc.ts';
import { toApiKeyOutput, type createApiKeyInput, type revokeApiKeyInput } from './api-keys.schema.ts';

export async function createApiKeyHandler({ ctx, input }: HandlerOptions<SessionContext, typeof createApiKeyInput>) {
  const fields = { name: input.name, scopes: input.scopes, expiresAt: input.expires_at ? new Date(parseRequestDateTime(input.expires_at, ctx.user.timezone)) : null };
  const { key, apiKey } = await createApiKey(ctx.repos, fields, ctx.user.id, ctx.now);
  ctx.services.logger.info({ apiKeyId: apiKey.id, scopes: apiKey.scopes, by: ctx.user.id }, 'API key created');
  return { ...toApiKeyOutput(apiKey), key };
}

export async function listApiKeysHandler({ ctx }: { ctx: SessionContext }) {
  return (await ctx.repos.apiKeys.listActive()).map(toApiKeyOutput);
}

/** Revoked at once, in every process: keys are looked up on every request. The row stays for history. */
export async function revokeApiKeyHandler({ ctx, input }: HandlerOptions<SessionContext, typeof revokeApiKeyInput>): Promise<void> {
  if (!(await ctx.repos.apiKeys.revoke(input.id, ctx.now))) throw new DomainError('API_KEY.NOT_FOUND', `API key ${input.id} not found`);
  ctx.services.logger.info({ apiKeyId: input.id, by: ctx.user.id }, 'API key revoked');
}
