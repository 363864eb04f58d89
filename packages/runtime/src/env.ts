import { z } from 'zod';

/** Validates an app's environment; throws one readable error listing every bad variable. */
export function parseEnvWith<S extends z.ZodType>(schema: S, raw: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}

/** `True`/`false`/`1`/`0`/`yes`/`no`, as the seed's `.env` files write booleans. */
export const envBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));
