import { z } from 'zod';
import { ModuleName, UtcIso, UtcWindow } from './common';

/** Kinds of files the suite receives and produces. */
export const FILE_KINDS = ['TLE', 'OMM', 'OEM', 'OPM', 'TDM', 'CDM', 'OCM', 'EOP', 'SPACE_WEATHER', 'GRAVITY', 'LEAP_SECONDS', 'REPORT', 'OTHER'] as const;
export const FileKind = z.enum(FILE_KINDS);
export type FileKind = z.infer<typeof FileKind>;

/** A product: a file written by a module, with the metadata needed to find and deliver it. */
export const ProductSchema = z.object({
  id: z.string().min(1),
  kind: FileKind,
  format: z.enum(['kvn', 'xml', 'json', 'csv', 'txt', 'html', 'pdf', 'other']),
  path: z.string().min(1).describe('absolute path of the file on the producing node'),
  mediaType: z.string().default('application/octet-stream'),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAtUtc: UtcIso,
  producedBy: ModuleName,
  objectIds: z.array(z.string()).default([]),
  validity: UtcWindow.optional(),
  metadata: z.record(z.string(), z.string()).default({}),
});
export type Product = z.infer<typeof ProductSchema>;
