import { z } from 'zod';

/**
 * What an API key may be granted. Reads need `…:read`, writes `…:write`; a key holds only the
 * scopes it was created with, and every procedure a key may call names the one it needs.
 */
export const API_KEY_SCOPES = [
  'appointments:read',
  'appointments:write',
  'availability:read',
  'availability:write',
  'services:write',
  'users:read',
  'users:write',
  'webhooks:manage',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);
