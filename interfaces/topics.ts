import { z } from 'zod';
import { defineTopic } from '../sdk/topic';
import { PluginStateTopic } from '../sdk/kernel-topics';
import { EpochSchema, Frame, ModuleName, NoradId, UtcIso, UtcWindow } from './domain/common';
import { AlertSchema, AlertSeverity } from './domain/alert';
import { CdmRecordSchema } from './domain/cdm';
import { ConjunctionSchema } from './domain/conjunction';
import { ManeuverSchema } from './domain/maneuver';
import { FileKind, ProductSchema } from './domain/product';
import { CovarianceSchema, StateVectorSchema } from './domain/state';

/**
 * The message topics modules exchange. Each is versioned with semver: a new optional field
 * is a minor version; removing or changing a field is a new major version (and a new
 * topic registration). Durable topics (alerts, CDMs, conjunctions, products, manoeuvres)
 * go through a persistent stream in distributed mode: a consumer that was down gets them.
 */

/** The kernel's own lifecycle topic, re-exported so integrators find every topic here. */
export { PluginStateTopic };

// ------------------------------------------------------------------ acquisition

export const FileReceived = defineTopic({
  name: 'file.received',
  version: '1.0.0',
  description: 'file-inbox accepted a file, detected its kind and hands it to the owning module.',
  schema: z.object({
    fileId: z.string().min(1),
    path: z.string().min(1).describe('where the file now is (done/ folder), absolute'),
    originalName: z.string().min(1),
    kind: FileKind,
    format: z.enum(['kvn', 'xml', 'json', 'csv', 'txt', 'other']),
    sizeBytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    inbox: z.string().min(1),
    owner: ModuleName.describe('module expected to ingest it'),
    receivedAtUtc: UtcIso,
  }),
});

export const FileRejected = defineTopic({
  name: 'file.rejected',
  version: '1.0.0',
  durable: true,
  description: 'A file was refused (by the inbox or by the owning module); it is kept in rejected/ with a .reason file.',
  schema: z.object({
    fileId: z.string().min(1),
    originalName: z.string().min(1),
    keptAt: z.string().min(1).describe('absolute path of the kept file'),
    reasonFile: z.string().min(1),
    reason: z.string().min(1),
    line: z.number().int().positive().optional(),
    kind: FileKind.optional(),
    rejectedBy: ModuleName,
    rejectedAtUtc: UtcIso,
  }),
});

export const CatalogUpdated = defineTopic({
  name: 'catalog.updated',
  version: '1.0.0',
  description: 'tle-catalog ingested element sets (a file or a feed): counts and the objects that changed.',
  schema: z.object({
    source: z.string().min(1),
    added: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().describe('objects in the catalog after the update'),
    changedNoradIds: z.array(NoradId).describe('objects with a new element set (may be long: the whole catalog)'),
    epochRange: UtcWindow.optional(),
    updatedAtUtc: UtcIso,
  }),
});

export const TrackingReceived = defineTopic({
  name: 'tracking.received',
  version: '1.0.0',
  description: 'tracking-data ingested measurements (TDM or simulator) for some objects.',
  schema: z.object({
    source: z.string().min(1),
    objectIds: z.array(z.string().min(1)).min(1),
    stationIds: z.array(z.string()),
    count: z.number().int().positive(),
    window: UtcWindow,
  }),
});

// ------------------------------------------------------------------ reference data

export const EopUpdated = defineTopic({
  name: 'eop.updated',
  version: '1.0.0',
  description: 'A newer Earth-orientation table is in use.',
  schema: z.object({
    source: z.string().min(1),
    firstMjd: z.number(),
    lastMjd: z.number(),
    lastObservedMjd: z.number().describe('last row that is not a prediction'),
    rows: z.number().int().positive(),
    updatedAtUtc: UtcIso,
  }),
});

export const SpaceWeatherUpdated = defineTopic({
  name: 'spaceweather.updated',
  version: '1.0.0',
  description: 'A newer space-weather table (F10.7, Ap, Kp) is in use.',
  schema: z.object({
    source: z.string().min(1),
    firstDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    lastDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    lastObservedDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    rows: z.number().int().positive(),
    updatedAtUtc: UtcIso,
  }),
});

export const GravityFieldUpdated = defineTopic({
  name: 'gravity.updated',
  version: '1.0.0',
  description: 'A gravity field model was loaded.',
  schema: z.object({ name: z.string().min(1), degree: z.number().int().nonnegative(), order: z.number().int().nonnegative(), source: z.string().min(1) }),
});

export const StationsUpdated = defineTopic({
  name: 'stations.updated',
  version: '1.0.0',
  description: 'The ground-station network changed (configuration reload).',
  schema: z.object({ stationIds: z.array(z.string()), updatedAtUtc: UtcIso }),
});

// ------------------------------------------------------------------ orbits and products

export const EphemerisPublished = defineTopic({
  name: 'ephemeris.published',
  version: '1.0.0',
  durable: true,
  description: 'An ephemeris product (OEM) was generated or received.',
  schema: z.object({
    objectId: z.string().min(1),
    noradId: NoradId.optional(),
    frame: Frame,
    window: UtcWindow,
    points: z.number().int().positive(),
    productId: z.string().min(1),
    path: z.string().min(1),
    source: z.string().min(1),
  }),
});

export const OrbitDetermined = defineTopic({
  name: 'orbit.determined',
  version: '1.0.0',
  durable: true,
  description: 'Orbit determination (batch or sequential) produced a new state and covariance.',
  schema: z.object({
    objectId: z.string().min(1),
    method: z.enum(['batch-least-squares', 'ekf', 'ukf', 'iod']),
    state: StateVectorSchema,
    covariance: CovarianceSchema.optional(),
    measurementsUsed: z.number().int().nonnegative(),
    measurementsRejected: z.number().int().nonnegative(),
    weightedRms: z.number().nonnegative().describe('weighted RMS of residuals (dimensionless)'),
    converged: z.boolean(),
    epoch: EpochSchema,
  }),
});

export const ProductPublished = defineTopic({
  name: 'product.published',
  version: '1.0.0',
  durable: true,
  description: 'A product file is ready for archive and distribution.',
  schema: ProductSchema,
});

// ------------------------------------------------------------------ collision risk

export const ConjunctionDetected = defineTopic({
  name: 'conjunction.detected',
  version: '1.0.0',
  durable: true,
  description: 'Screening (or a CDM) found a close approach inside the screening volume.',
  schema: ConjunctionSchema,
});

export const CdmReceived = defineTopic({
  name: 'cdm.received',
  version: '1.0.0',
  durable: true,
  description: 'A CDM from an external provider was read and attached to a conjunction event.',
  schema: CdmRecordSchema,
});

export const CdmIssued = defineTopic({
  name: 'cdm.issued',
  version: '1.0.0',
  durable: true,
  description: 'This centre issued a CDM (file written, record attached).',
  schema: CdmRecordSchema,
});

export const RiskAssessed = defineTopic({
  name: 'risk.assessed',
  version: '1.0.0',
  durable: true,
  description: 'risk-assessment evaluated a conjunction event (level, trend across updates).',
  schema: z.object({
    eventId: z.string().min(1),
    tcaUtc: UtcIso,
    severity: AlertSeverity,
    pc: z.number().min(0).max(1).optional(),
    missDistanceKm: z.number().nonnegative(),
    trend: z.enum(['new', 'rising', 'stable', 'falling']),
    updates: z.number().int().positive().describe('screenings/CDMs seen for this event'),
    assessedAtUtc: UtcIso,
  }),
});

export const AlertRaised = defineTopic({
  name: 'alert.raised',
  version: '1.0.0',
  durable: true,
  description: 'An alert for operators; notification delivers it until acknowledged.',
  schema: AlertSchema,
});

export const AlertAcknowledged = defineTopic({
  name: 'alert.acknowledged',
  version: '1.0.0',
  durable: true,
  description: 'An operator acknowledged an alert (console, gateway or CLI).',
  schema: z.object({ alertId: z.string().min(1), byUser: z.string().min(1), atUtc: UtcIso, comment: z.string().optional() }),
});

export const AlertDelivered = defineTopic({
  name: 'alert.delivered',
  version: '1.0.0',
  description: 'notification delivered an alert on one channel (or gave up an attempt, to retry).',
  schema: z.object({
    alertId: z.string().min(1),
    channel: z.string().min(1).describe('log, webhook:<name>, email:<address>'),
    ok: z.boolean(),
    attempt: z.number().int().positive(),
    error: z.string().optional(),
    atUtc: UtcIso,
  }),
});

export const ManeuverPlanned = defineTopic({
  name: 'maneuver.planned',
  version: '1.0.0',
  durable: true,
  description: 'A manoeuvre was proposed or planned (avoidance, station keeping, …).',
  schema: ManeuverSchema,
});

// ------------------------------------------------------------------ operations

export const RoutineCompleted = defineTopic({
  name: 'routine.completed',
  version: '1.0.0',
  durable: true,
  description: 'A routine chain finished (run report).',
  schema: z.object({
    chain: z.string().min(1),
    runId: z.string().min(1),
    startedAtUtc: UtcIso,
    finishedAtUtc: UtcIso,
    status: z.enum(['ok', 'partial', 'failed']),
    steps: z.array(z.object({ name: z.string(), status: z.enum(['ok', 'skipped', 'failed']), detail: z.string().optional() })),
  }),
});

/** Every topic of the contract, for documentation, contract tests and the gateway. */
export const ALL_TOPICS = [
  PluginStateTopic,
  FileReceived,
  FileRejected,
  CatalogUpdated,
  TrackingReceived,
  EopUpdated,
  SpaceWeatherUpdated,
  GravityFieldUpdated,
  StationsUpdated,
  EphemerisPublished,
  OrbitDetermined,
  ProductPublished,
  ConjunctionDetected,
  CdmReceived,
  CdmIssued,
  RiskAssessed,
  AlertRaised,
  AlertAcknowledged,
  AlertDelivered,
  ManeuverPlanned,
  RoutineCompleted,
] as const;
