import { z } from 'zod';

/** Configuration of the `simulator` plugin (every key has a default: it runs with no section). */
export const SimulatorConfig = z
  .object({
    runOnStart: z.boolean().default(true).describe('Write the scenario into the inbox when the plugin starts (once per seed and epoch).'),
    seed: z.number().int().min(0).max(0xffffffff).default(42).describe('Seed: the same seed and epoch give byte-identical files.'),
    epochUtc: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z?)?$/, 'expected an ISO-8601 UTC date or date-time')
      .nullable()
      .default(null)
      .describe('Scenario epoch (UTC); null = 00:00 UTC of the current day, so the scenario is always current.'),
    outputDir: z.string().default('var/inbox').describe('Folder the catalog file is dropped into (the file-inbox folder).'),
    firstNoradId: z.number().int().min(1).max(339_000).default(90_000).describe('First catalog number used (analyst range by default).'),
    fleet: z
      .object({
        sso: z.number().int().min(0).max(50).default(3),
        leo: z.number().int().min(0).max(50).default(1),
        geo: z.number().int().min(0).max(50).default(1),
      })
      .strict()
      .prefault({})
      .describe('Protected satellites per regime.'),
    background: z.number().int().min(0).max(100_000).default(1500).describe('Background objects (LEO shell, SSO band, GEO belt, debris clouds).'),
    encounters: z.number().int().min(0).max(500).default(6).describe('Engineered close approaches with the fleet.'),
    windowDays: z.number().positive().max(30).default(7).describe('TCAs are placed between 6 h and this many days after the epoch.'),
    missKm: z
      .object({ min: z.number().positive().default(0.05), max: z.number().positive().default(2) })
      .strict()
      .prefault({})
      .refine((m) => m.min <= m.max, { message: 'min must not exceed max', path: ['min'] })
      .describe('Engineered miss distances, km (log-uniform).'),
  })
  .strict()
  .refine((c) => c.encounters === 0 || c.fleet.sso + c.fleet.leo + c.fleet.geo > 0, { message: 'encounters need at least one fleet satellite', path: ['encounters'] });
export type SimulatorConfig = z.output<typeof SimulatorConfig>;
