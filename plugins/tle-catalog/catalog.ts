import type { GpElementSet } from '../../interfaces/domain/catalog';
import { compareIso } from '../../interfaces/domain/common';
import type { Catalog, CatalogEntry } from '../../interfaces/services/acquisition';
import type { HbrTable } from './hbr';
import { readOmm, ommSyntax } from './omm';
import { CatalogStore, orbitRegime, type IngestOutcome } from './store';
import { readTles } from '../../sdk/tle';

const DAY_MS = 86_400_000;

export interface IngestReport {
  added: number;
  updated: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
  /** Deviations the OMM codecs accepted (lenient mode); none for TLE. */
  warnings: { line: number; reason: string }[];
  changedNoradIds: number[];
  epochRange?: { startUtc: string; stopUtc: string };
  total: number;
}

/** Is this text TLE/3LE (rather than an OMM)? Looks for a `1 ` line followed by a `2 ` line. */
export function looksLikeTle(text: string): boolean {
  return /(^|\n)1 [ 0-9A-Z]{5}[UCS ][^\n]*\r?\n2 /.test(text.slice(0, 4096));
}

/**
 * The `Catalog` service over a {@link CatalogStore}. Ages are computed at query time against
 * the clock (`now`), so an entry grows older without being touched.
 */
export class CatalogService implements Catalog {
  constructor(
    readonly store: CatalogStore,
    private readonly opts: { maxAgeDays: number; now: () => number; hbr?: HbrTable; onIngest?: (source: string, report: IngestReport) => void },
  ) {}

  /** Parses and ingests a text; the synchronous core of `ingest`. */
  ingestText(text: string, source: string): IngestReport {
    const tle = looksLikeTle(text) || !ommSyntax(text);
    const read = tle ? { ...readTles(text, source), warnings: [] } : readOmm(text, source);
    const sets = read.records.map((r) => r.set);
    const out: IngestOutcome = this.store.ingest(sets);
    const report: IngestReport = {
      added: out.added,
      updated: out.updated,
      duplicates: out.duplicates,
      rejected: read.errors,
      warnings: read.warnings,
      changedNoradIds: out.changedNoradIds,
      total: this.store.objects.size,
    };
    if (out.minEpochUtc && out.maxEpochUtc) report.epochRange = { startUtc: out.minEpochUtc, stopUtc: out.maxEpochUtc };
    this.opts.onIngest?.(source, report);
    return report;
  }

  entry(set: GpElementSet, warnings: string[], nowMs: number): CatalogEntry {
    const ageDays = (nowMs - Date.parse(set.epochUtc)) / DAY_MS;
    const w = ageDays > this.opts.maxAgeDays ? [...warnings, `element set is ${ageDays.toFixed(1)} days old (limit ${this.opts.maxAgeDays})`] : warnings;
    // Copies: callers get plain data they may keep or change without touching the catalog.
    const e: CatalogEntry = { elements: { ...set }, ageDays, warnings: [...w] };
    const hb = this.opts.hbr?.get(set.noradId);
    if (hb) e.hardBody = { ...hb };
    return e;
  }

  async get(noradIds: number[]): Promise<{ found: CatalogEntry[]; missing: number[] }> {
    const nowMs = this.opts.now();
    const found: CatalogEntry[] = [];
    const missing: number[] = [];
    for (const id of noradIds) {
      const rec = this.store.objects.get(id);
      if (rec && rec.history.length) found.push(this.entry(rec.history[rec.history.length - 1], rec.warnings, nowMs));
      else missing.push(id);
    }
    return { found, missing };
  }

  async list(query: { offset?: number; limit?: number; maxAgeDays?: number; namePattern?: string; regime?: string }): Promise<{ total: number; entries: CatalogEntry[] }> {
    const nowMs = this.opts.now();
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.max(0, query.limit ?? 1000);
    const name = query.namePattern ? globToRegExp(query.namePattern) : undefined;
    const ids = [...this.store.objects.keys()].sort((a, b) => a - b);
    const entries: CatalogEntry[] = [];
    let total = 0;
    for (const id of ids) {
      const rec = this.store.objects.get(id)!;
      const set = rec.history[rec.history.length - 1];
      if (!set) continue;
      if (query.maxAgeDays !== undefined && (nowMs - Date.parse(set.epochUtc)) / DAY_MS > query.maxAgeDays) continue;
      if (name && !name.test(set.objectName ?? '')) continue;
      if (query.regime && orbitRegime(set) !== query.regime) continue;
      if (total >= offset && entries.length < limit) entries.push(this.entry(set, rec.warnings, nowMs));
      total++;
    }
    return { total, entries };
  }

  async history(noradId: number, startUtc: string, stopUtc: string): Promise<GpElementSet[]> {
    const rec = this.store.objects.get(noradId);
    if (!rec) return [];
    return rec.history.filter((s) => compareIso(s.epochUtc, startUtc) >= 0 && compareIso(s.epochUtc, stopUtc) <= 0).map((s) => ({ ...s }));
  }

  async ingest(text: string, source: string): Promise<{ added: number; updated: number; rejected: { line: number; reason: string }[] }> {
    const r = this.ingestText(text, source);
    return { added: r.added, updated: r.updated, rejected: r.rejected };
  }

  async size(): Promise<number> {
    return this.store.objects.size;
  }
}

/** `*` any run of characters, `?` one character; case-insensitive; the whole name must match. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
