import { z } from 'zod';
import { isSecretSchema } from '../../sdk/secret';

export const MASK = '********';

type Def = { type: string; [k: string]: any };
const defOf = (s: z.ZodType): Def => (s as any)._zod.def as Def;

/**
 * Returns a copy of `value` in which every value whose schema is marked `secret()` is
 * replaced by a mask. Walks the schema alongside the value (objects, records, arrays,
 * optional/nullable/default wrappers, unions), so secrets nested anywhere are found.
 */
export function maskSecrets(schema: z.ZodType, value: unknown): unknown {
  if (value === undefined) return value;
  if (isSecretSchema(schema)) return MASK;
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return maskSecrets(def.innerType, value);
    case 'pipe':
      return maskSecrets(def.in, value);
    case 'object': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = def.shape[k] ? maskSecrets(def.shape[k], v) : v;
      return out;
    }
    case 'record': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = maskSecrets(def.valueType, v);
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => maskSecrets(def.element, v)) : value;
    case 'union': {
      // A value matching a secret branch is masked; otherwise walk the first matching branch.
      for (const option of def.options as z.ZodType[]) {
        if (option.safeParse(value).success) return maskSecrets(option, value);
      }
      return value;
    }
    default:
      return value;
  }
}

/** Every secret string value in `value` (used to scrub them from error messages). */
export function collectSecrets(schema: z.ZodType, value: unknown, out: string[] = []): string[] {
  const masked = maskSecrets(schema, value);
  const walk = (orig: unknown, m: unknown) => {
    if (m === MASK && typeof orig === 'string' && orig.length > 0) out.push(orig);
    else if (isRecord(orig) && isRecord(m)) for (const k of Object.keys(orig)) walk(orig[k], m[k]);
    else if (Array.isArray(orig) && Array.isArray(m)) orig.forEach((o, i) => walk(o, m[i]));
  };
  walk(value, masked);
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
