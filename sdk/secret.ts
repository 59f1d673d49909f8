import { z } from 'zod';

/**
 * Marks a configuration value as secret (passwords, API tokens, webhook signing keys).
 * The kernel masks it in logs, in `scoop config show` and in error messages; the JSON
 * Schema it prints flags it with `"secret": true` (and `writeOnly`).
 */
export function secret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ secret: true, writeOnly: true }) as S;
}

export function isSecretSchema(schema: z.ZodType): boolean {
  const meta = schema.meta?.() as Record<string, unknown> | undefined;
  return Boolean(meta && meta.secret === true);
}
