import { z } from 'zod';
import { API_KEY_SCOPES, apiKeyScopeSchema, writtenText, type ApiKey } from '@appointments/domain';
import { dateTimeInput, idOutput, idParam, instantOutput } from '../common.schema.ts';

const EXAMPLE_KEY = 'apk_7dq3vnhm2kx5rjc4a6wpyzt2bfgsleu3';
const EXAMPLE_SCOPES = ['appointments:read', 'appointments:write'];

export const createApiKeyInput = z
  .object({
    name: writtenText(z.string().trim().min(1).max(100), 'The name', 'one').meta({ description: 'What the key is for, e.g. "Front desk sync"' }),
    scopes: z
      .array(apiKeyScopeSchema)
      .min(1)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'Name each scope once')
      .meta({ description: `What the key may do: ${API_KEY_SCOPES.join(', ')}` }),
    expires_at: dateTimeInput
      .nullable()
      .optional()
      .meta({ description: 'When the key stops working, in the future; without an offset, in your time zone. Absent or null: never.', examples: ['2027-01-01T00:00:00Z'] }),
  })
  .meta({ examples: [{ name: 'Front desk sync', scopes: EXAMPLE_SCOPES, expires_at: '2027-01-01T00:00:00Z' }] });

export const apiKeyOutput = z
  .object({
    id: idOutput(1),
    name: z.string().meta({ examples: ['Front desk sync'] }),
    scopes: z.array(apiKeyScopeSchema).meta({ examples: [EXAMPLE_SCOPES] }),
    prefix: z.string().meta({ description: 'The first 12 characters of the key, to tell keys apart', examples: [EXAMPLE_KEY.slice(0, 12)] }),
    created_at: instantOutput,
    expires_at: instantOutput.nullable().meta({ examples: ['2027-01-01T00:00:00.000Z'] }),
    last_used_at: instantOutput.nullable().meta({ description: 'Recorded at most once a minute', examples: [null] }),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeyOutput = apiKeyOutput
  .extend({ key: z.string().meta({ description: 'Shown once; only its hash is stored. Send it as `Authorization: Bearer <key>`.', examples: [EXAMPLE_KEY] }) })
  .meta({ id: 'CreatedApiKey' });

export const revokeApiKeyInput = z.object({ id: idParam });

export function toApiKeyOutput(key: ApiKey): z.output<typeof apiKeyOutput> {
  return {
    id: key.id,
    name: key.name,
    scopes: [...key.scopes],
    prefix: key.prefix,
    created_at: key.createdAt.toISOString(),
    expires_at: key.expiresAt?.toISOString() ?? null,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
  };
}
