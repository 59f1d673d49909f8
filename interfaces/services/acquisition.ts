import { defineService } from '../../sdk/service';
import type { GpElementSet } from '../domain/catalog';
import type { TrackingMeasurement } from '../domain/measurement';
import type { FileKind } from '../domain/product';
import type { StateVector } from '../domain/state';

/** `file-inbox`: drop folders. Files are routed by topic; this service is for operators and tests. */
export interface FileInbox {
  status(): Promise<{ inbox: string; pending: number; done: number; rejected: number }[]>;
  /** Rejected files with their reasons, newest first. */
  rejected(limit: number): Promise<{ fileId: string; originalName: string; keptAt: string; reason: string; atUtc: string }[]>;
  /** Detects the kind of a file's content (no side effect). */
  detect(text: string, fileName?: string): Promise<{ kind: FileKind; format: string } | { kind: null; reason: string }>;
}
export const FileInboxToken = defineService<FileInbox>({ name: 'inbox', version: '1.0.0', description: 'Watched drop folders' });

/** One object of the catalog with its current element set and checks. */
export interface CatalogEntry {
  elements: GpElementSet;
  ageDays: number;
  /** Checksum/age/consistency warnings found at ingest. */
  warnings: string[];
  /**
   * Hard-body radius (m) and mass (kg) estimates from the NASA CARA HBR table, when the
   * catalog is configured with one and lists the object. `radiusM` is absent when the table
   * names a source without a value (DISCOS rows of the distributed file).
   */
  hardBody?: { radiusM?: number; radiusSigmaM: number; radiusSource: string; massKg?: number; massSigmaKg: number; massSource: string };
}

/** `tle-catalog`: element sets by NORAD id, with history. Batch-friendly. */
export interface Catalog {
  /** Latest element set of each requested object (missing ids are listed, not thrown). */
  get(noradIds: number[]): Promise<{ found: CatalogEntry[]; missing: number[] }>;
  /** All objects, optionally filtered (regime, max age, name pattern); paged. */
  list(query: { offset?: number; limit?: number; maxAgeDays?: number; namePattern?: string; regime?: string }): Promise<{ total: number; entries: CatalogEntry[] }>;
  /** Element sets of one object between two UTC instants, oldest first. */
  history(noradId: number, startUtc: string, stopUtc: string): Promise<GpElementSet[]>;
  /** Ingest TLE/3LE or OMM text (also used by file-inbox's owner routing). */
  ingest(text: string, source: string): Promise<{ added: number; updated: number; rejected: { line: number; reason: string }[] }>;
  size(): Promise<number>;
}
export const CatalogToken = defineService<Catalog>({ name: 'catalog', version: '1.0.0', description: 'TLE/OMM catalog with history' });

/** `tracking-data`: measurements by object and time window. */
export interface TrackingData {
  measurements(query: { objectId: string; startUtc: string; stopUtc: string; types?: TrackingMeasurement['type'][]; includeEdited?: boolean }): Promise<TrackingMeasurement[]>;
  ingest(measurements: TrackingMeasurement[], source: string): Promise<{ accepted: number; rejected: { index: number; reason: string }[] }>;
  /** Station biases in use (range km, angles deg, …) by station and measurement type. */
  biases(): Promise<{ stationId: string; type: TrackingMeasurement['type']; bias: number; unit: string }[]>;
}
export const TrackingDataToken = defineService<TrackingData>({ name: 'tracking', version: '1.0.0', description: 'Tracking measurements (TDM)' });

/** `measurement-simulator`: synthetic measurements from a truth orbit. */
export interface MeasurementSimulator {
  simulate(request: {
    truth: StateVector;
    objectId: string;
    stationIds: string[];
    types: TrackingMeasurement['type'][];
    startUtc: string;
    stopUtc: string;
    stepS: number;
    noise: Partial<Record<TrackingMeasurement['type'], number>>;
    biases?: Partial<Record<TrackingMeasurement['type'], number>>;
    seed: number;
  }): Promise<TrackingMeasurement[]>;
}
export const MeasurementSimulatorToken = defineService<MeasurementSimulator>({ name: 'measurement.simulator', version: '1.0.0', description: 'Synthetic tracking measurements' });
