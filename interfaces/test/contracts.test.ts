import { expect } from 'chai';
import { z } from 'zod';
import { formatZodIssues, type Topic } from '../../sdk/topic';
import * as I from '..';

const sha = 'a'.repeat(64);
const epoch = { iso: '2026-05-07T12:00:00.000', scale: 'UTC' as const };
const state = { epoch, frame: 'GCRF' as const, posKm: [6778.137, 0, 0] as [number, number, number], velKmS: [0, 7.6686, 0] as [number, number, number] };
const diag = (v: number) => Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? v : 0)));
const covRtn = { frame: 'RTN' as const, units: 'm' as const, matrix: diag(100) };
const conjunction = {
  id: '25544-48274-20260508T0312',
  tcaUtc: '2026-05-08T03:12:44.125Z',
  missDistanceKm: 0.412,
  relativeSpeedKmS: 14.2,
  relativePositionRtnKm: [0.1, 0.3, -0.25] as [number, number, number],
  relativeVelocityRtnKmS: [0.01, -14.1, 1.2] as [number, number, number],
  primary: { noradId: 25544, objectId: '25544', name: 'ISS (ZARYA)', stateAtTca: state, covarianceRtnM: covRtn, hardBodyRadiusM: 20 },
  secondary: { noradId: 48274, objectId: '48274', hardBodyRadiusM: 1, hardBodyRadiusSource: 'catalog' as const },
  detectedAtUtc: '2026-05-07T12:00:00Z',
  detectedBy: 'conjunction-screening',
  source: 'screening' as const,
};
const cdm = {
  messageId: 'CDM-2026-0001',
  creationDateUtc: '2026-05-07T12:00:00Z',
  originator: 'CSPOC',
  tcaUtc: '2026-05-08T03:12:44.125Z',
  missDistanceM: 412,
  collisionProbability: 1.2e-5,
  object1: conjunction.primary,
  object2: conjunction.secondary,
};
const alert = { id: 'a-1', severity: 'warning' as const, title: 'Pc 1.2e-5 ISS vs 48274', raisedAtUtc: '2026-05-07T12:00:01Z', raisedBy: 'risk-assessment', subject: { kind: 'conjunction', id: conjunction.id } };
const product = { id: 'p-1', kind: 'OEM' as const, format: 'kvn' as const, path: '/var/scoop/products/p-1.oem', sizeBytes: 1024, sha256: sha, createdAtUtc: '2026-05-07T12:00:00Z', producedBy: 'ephemeris' };

/**
 * One valid sample and invalid variants per topic. The invalid variants each break one
 * rule; the test checks the rejection names the offending field.
 */
const SAMPLES: Record<string, { valid: unknown; invalid: { payload: unknown; field: string }[] }> = {
  'plugin.state': {
    valid: { plugin: 'sgp4', version: '1.0.0', state: 'running', previous: 'starting', node: 'main', at: '2026-05-07T12:00:00Z' },
    invalid: [{ payload: { plugin: 'sgp4', version: '1.0.0', state: 'asleep', node: 'main', at: '2026-05-07T12:00:00Z' }, field: 'state' }],
  },
  'file.received': {
    valid: { fileId: 'f1', path: '/inbox/done/2026-05-07/a.tle', originalName: 'a.tle', kind: 'TLE', format: 'txt', sizeBytes: 168, sha256: sha, inbox: 'default', owner: 'tle-catalog', receivedAtUtc: '2026-05-07T12:00:00Z' },
    invalid: [
      { payload: { fileId: 'f1', path: '/x', originalName: 'a', kind: 'MP3', format: 'txt', sizeBytes: 1, sha256: sha, inbox: 'd', owner: 'tle-catalog', receivedAtUtc: '2026-05-07T12:00:00Z' }, field: 'kind' },
      { payload: { fileId: 'f1', path: '/x', originalName: 'a', kind: 'TLE', format: 'txt', sizeBytes: -1, sha256: sha, inbox: 'd', owner: 'tle-catalog', receivedAtUtc: '2026-05-07T12:00:00Z' }, field: 'sizeBytes' },
    ],
  },
  'file.rejected': {
    valid: { fileId: 'f2', originalName: 'b.oem', keptAt: '/inbox/rejected/b.oem', reasonFile: '/inbox/rejected/b.oem.reason', reason: 'line 12: keyword CENTER_NAME missing', line: 12, rejectedBy: 'file-inbox', rejectedAtUtc: '2026-05-07T12:00:00Z' },
    invalid: [{ payload: { fileId: 'f2', originalName: 'b.oem', keptAt: '/x', reasonFile: '/x.reason', reason: '', rejectedBy: 'file-inbox', rejectedAtUtc: '2026-05-07T12:00:00Z' }, field: 'reason' }],
  },
  'catalog.updated': {
    valid: { source: 'celestrak-active', added: 10, updated: 15000, rejected: 1, total: 15347, changedNoradIds: [25544, 48274], updatedAtUtc: '2026-05-07T12:00:00Z' },
    invalid: [
      { payload: { source: 'x', added: 1, updated: 0, rejected: 0, total: 1, changedNoradIds: [-5], updatedAtUtc: '2026-05-07T12:00:00Z' }, field: 'changedNoradIds.0' },
      { payload: { source: 'x', added: 1, updated: 0, rejected: 0, total: 1, changedNoradIds: [], epochRange: { startUtc: '2026-05-08T00:00:00Z', stopUtc: '2026-05-07T00:00:00Z' }, updatedAtUtc: '2026-05-07T12:00:00Z' }, field: 'epochRange.stopUtc' },
    ],
  },
  'tracking.received': {
    valid: { source: 'tdm-1', objectIds: ['SAT-A'], stationIds: ['AUS'], count: 120, window: { startUtc: '2026-05-07T10:00:00Z', stopUtc: '2026-05-07T10:10:00Z' } },
    invalid: [{ payload: { source: 'tdm-1', objectIds: [], stationIds: [], count: 1, window: { startUtc: '2026-05-07T10:00:00Z', stopUtc: '2026-05-07T10:10:00Z' } }, field: 'objectIds' }],
  },
  'eop.updated': {
    valid: { source: 'finals2000A.all', firstMjd: 41684, lastMjd: 61645, lastObservedMjd: 61272, rows: 19962, updatedAtUtc: '2026-05-07T12:00:00Z' },
    invalid: [{ payload: { source: 'x', firstMjd: 1, lastMjd: 2, lastObservedMjd: 2, rows: 0, updatedAtUtc: '2026-05-07T12:00:00Z' }, field: 'rows' }],
  },
  'spaceweather.updated': {
    valid: { source: 'SW-All.txt', firstDate: '1957-10-01', lastDate: '2041-10-01', lastObservedDate: '2026-08-21', rows: 30000, updatedAtUtc: '2026-08-22T00:00:00Z' },
    invalid: [{ payload: { source: 'x', firstDate: '1957/10/01', lastDate: '2041-10-01', lastObservedDate: '2026-08-21', rows: 3, updatedAtUtc: '2026-08-22T00:00:00Z' }, field: 'firstDate' }],
  },
  'gravity.updated': {
    valid: { name: 'JGM-3', degree: 70, order: 70, source: 'JGM3.gfc' },
    invalid: [{ payload: { name: 'JGM-3', degree: 70.5, order: 70, source: 'JGM3.gfc' }, field: 'degree' }],
  },
  'stations.updated': {
    valid: { stationIds: ['AUS', 'KRU'], updatedAtUtc: '2026-05-07T12:00:00Z' },
    invalid: [{ payload: { stationIds: 'AUS', updatedAtUtc: '2026-05-07T12:00:00Z' }, field: 'stationIds' }],
  },
  'ephemeris.published': {
    valid: { objectId: 'SAT-A', frame: 'EME2000', window: { startUtc: '2026-05-07T00:00:00Z', stopUtc: '2026-05-14T00:00:00Z' }, points: 10081, productId: 'p-1', path: '/p/p-1.oem', source: 'numerical-propagator' },
    invalid: [{ payload: { objectId: 'SAT-A', frame: 'J2000', window: { startUtc: '2026-05-07T00:00:00Z', stopUtc: '2026-05-14T00:00:00Z' }, points: 1, productId: 'p', path: '/p', source: 's' }, field: 'frame' }],
  },
  'orbit.determined': {
    valid: { objectId: 'SAT-A', method: 'batch-least-squares', state, covariance: { frame: 'GCRF', units: 'km', matrix: diag(1e-6) }, measurementsUsed: 300, measurementsRejected: 2, weightedRms: 1.02, converged: true, epoch },
    invalid: [
      { payload: { objectId: 'SAT-A', method: 'batch-least-squares', state: { ...state, posKm: [1, 2] }, measurementsUsed: 1, measurementsRejected: 0, weightedRms: 1, converged: true, epoch }, field: 'state.posKm' },
      { payload: { objectId: 'SAT-A', method: 'ekf', state, covariance: { frame: 'GCRF', units: 'km', matrix: diag(1).map((r, i) => (i === 0 ? [1, 5, 0, 0, 0, 0] : r)) }, measurementsUsed: 1, measurementsRejected: 0, weightedRms: 1, converged: true, epoch }, field: 'covariance.matrix' },
    ],
  },
  'product.published': {
    valid: product,
    invalid: [{ payload: { ...product, sha256: 'xyz' }, field: 'sha256' }],
  },
  'conjunction.detected': {
    valid: conjunction,
    invalid: [
      { payload: { ...conjunction, tcaUtc: '2026-05-08 03:12' }, field: 'tcaUtc' },
      { payload: { ...conjunction, missDistanceKm: -1 }, field: 'missDistanceKm' },
      { payload: { ...conjunction, primary: { ...conjunction.primary, stateAtTca: { ...state, frame: 'WGS84' } } }, field: 'primary.stateAtTca.frame' },
    ],
  },
  'cdm.received': {
    valid: cdm,
    invalid: [{ payload: { ...cdm, collisionProbability: 1.5 }, field: 'collisionProbability' }],
  },
  'cdm.issued': {
    valid: { ...cdm, originator: 'SCOOP' },
    invalid: [{ payload: { ...cdm, object2: undefined }, field: 'object2' }],
  },
  'risk.assessed': {
    valid: { eventId: 'e1', tcaUtc: '2026-05-08T03:12:44Z', severity: 'watch', pc: 2e-6, missDistanceKm: 0.4, trend: 'rising', updates: 3, assessedAtUtc: '2026-05-07T12:00:00Z' },
    invalid: [{ payload: { eventId: 'e1', tcaUtc: '2026-05-08T03:12:44Z', severity: 'orange', missDistanceKm: 0.4, trend: 'rising', updates: 3, assessedAtUtc: '2026-05-07T12:00:00Z' }, field: 'severity' }],
  },
  'alert.raised': {
    valid: alert,
    invalid: [{ payload: { ...alert, raisedBy: 'Risk Assessment' }, field: 'raisedBy' }],
  },
  'alert.acknowledged': {
    valid: { alertId: 'a-1', byUser: 'duty-engineer', atUtc: '2026-05-07T12:05:00Z', comment: 'calling the hotline' },
    invalid: [{ payload: { alertId: 'a-1', atUtc: '2026-05-07T12:05:00Z' }, field: 'byUser' }],
  },
  'alert.delivered': {
    valid: { alertId: 'a-1', channel: 'webhook:ops', ok: false, attempt: 2, error: 'ECONNREFUSED', atUtc: '2026-05-07T12:00:03Z' },
    invalid: [{ payload: { alertId: 'a-1', channel: 'webhook:ops', ok: true, attempt: 0, atUtc: '2026-05-07T12:00:03Z' }, field: 'attempt' }],
  },
  'maneuver.planned': {
    valid: { id: 'm1', objectId: 'SAT-A', kind: 'impulsive', epoch, deltaVKmS: [0, 0.0001, 0], frame: 'RTN', purpose: 'avoidance', status: 'proposed' },
    invalid: [{ payload: { id: 'm1', objectId: 'SAT-A', kind: 'impulsive', epoch, deltaVKmS: [0, 0.0001, 0], frame: 'LVLH', purpose: 'avoidance', status: 'proposed' }, field: 'frame' }],
  },
  'routine.completed': {
    valid: { chain: 'daily', runId: 'r1', startedAtUtc: '2026-05-07T06:00:00Z', finishedAtUtc: '2026-05-07T06:04:00Z', status: 'ok', steps: [{ name: 'screening', status: 'ok' }] },
    invalid: [{ payload: { chain: 'daily', runId: 'r1', startedAtUtc: '2026-05-07T06:00:00Z', finishedAtUtc: '2026-05-07T06:04:00Z', status: 'done', steps: [] }, field: 'status' }],
  },
};

/** The 40 modules of the design's catalog (../shared/DESIGN.md, "Module catalog"). */
const CATALOG = [
  'eop', 'space-weather', 'gravity-field', 'station-network',
  'file-inbox', 'tle-catalog', 'tracking-data', 'measurement-simulator',
  'sgp4', 'analytical-propagators', 'numerical-propagator', 'ephemeris',
  'iod', 'orbit-determination', 'kalman-od', 'covariance', 'orbit-comparison', 'tle-fit',
  'pass-prediction', 'pointing-predictions', 'events', 'ground-track',
  'conjunction-screening', 'collision-probability', 'cdm', 'risk-assessment', 'avoidance-maneuver', 'notification',
  'maneuver-planning', 'station-keeping', 'maneuver-calibration', 'reentry-prediction', 'launch-leop',
  'routine-operations', 'supervision', 'archive', 'monthly-report', 'operator-console',
  'control-centre-gateway', 'product-distribution',
]; // prettier-ignore

describe('interfaces: topic contracts', () => {
  const topics = I.ALL_TOPICS as readonly Topic<unknown>[];

  it('lists every topic the issue names, once, each documented and versioned', () => {
    const names = topics.map((t) => t.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const required of ['file.received', 'file.rejected', 'catalog.updated', 'eop.updated', 'spaceweather.updated', 'ephemeris.published', 'conjunction.detected', 'cdm.received', 'cdm.issued', 'alert.raised', 'alert.acknowledged', 'product.published', 'plugin.state']) {
      expect(names, required).to.include(required);
    }
    for (const t of topics) {
      expect(t.description.length, t.name).to.be.greaterThan(10);
      expect(t.version).to.match(/^\d+\.\d+\.\d+$/);
    }
    expect(Object.keys(SAMPLES).sort()).to.deep.equal([...names].sort());
  });

  it('alerts, CDMs, conjunctions and products are durable (never lost when a consumer is down)', () => {
    const durable = topics.filter((t) => t.durable).map((t) => t.name);
    for (const n of ['alert.raised', 'alert.acknowledged', 'cdm.received', 'cdm.issued', 'conjunction.detected', 'product.published']) expect(durable, n).to.include(n);
  });

  for (const [name, sample] of Object.entries(SAMPLES)) {
    it(`${name}: accepts a valid sample and rejects invalid ones naming the field`, () => {
      const topic = topics.find((t) => t.name === name)!;
      const ok = topic.schema.safeParse(sample.valid);
      expect(ok.success, ok.success ? '' : formatZodIssues(ok.error).join('; ')).to.equal(true);
      // The payload survives a JSON round trip unchanged: what crosses NATS is what was validated.
      const again = topic.schema.safeParse(JSON.parse(JSON.stringify(ok.data)));
      expect(again.success && again.data).to.deep.equal(ok.data);
      for (const bad of sample.invalid) {
        const r = topic.schema.safeParse(bad.payload);
        expect(r.success, `${name} accepted an invalid payload (${bad.field})`).to.equal(false);
        const messages = formatZodIssues((r as { error: z.ZodError }).error);
        expect(messages.some((m) => m.startsWith(bad.field + ':')), messages.join('; ')).to.equal(true);
      }
    });
  }
});

describe('interfaces: domain types', () => {
  it('ISO date-times accept a leap second and fractions, refuse zones and impossible fields', () => {
    for (const ok of ['2016-12-31T23:59:60.5Z', '2026-05-07T12:00:00', '2026-05-07T12:00:00.123456789Z']) expect(I.IsoDateTime.safeParse(ok).success, ok).to.equal(true);
    for (const bad of ['2026-05-07T12:00:00+02:00', '2026-13-07T12:00:00Z', '2026-05-07T24:00:00Z', '2026-05-07', 'yesterday']) expect(I.IsoDateTime.safeParse(bad).success, bad).to.equal(false);
  });

  it('compareIso orders leap-second instants and fractions correctly', () => {
    expect(I.compareIso('2016-12-31T23:59:60.5Z', '2017-01-01T00:00:00Z')).to.equal(-1);
    expect(I.compareIso('2016-12-31T23:59:59.9', '2016-12-31T23:59:60')).to.equal(-1);
    expect(I.compareIso('2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00Z')).to.equal(1);
    expect(I.compareIso('2026-01-01T00:00:00.50', '2026-01-01T00:00:00.5Z')).to.equal(0);
  });

  it('a GP element set carries TLE fields with units and refuses out-of-range values', () => {
    const gp = { noradId: 25544, objectName: 'ISS (ZARYA)', objectId: '1998-067A', epochUtc: '2026-05-07T10:00:00.000Z', meanMotionRevPerDay: 15.5, eccentricity: 0.0004, inclinationDeg: 51.64, raanDeg: 120, argPericenterDeg: 80, meanAnomalyDeg: 280, bstarPerEarthRadius: 1e-4, meanMotionDotRevPerDay2: 1e-5, meanMotionDdotRevPerDay3: 0, revAtEpoch: 50000 };
    const parsed = I.GpElementSetSchema.parse(gp);
    expect(parsed.classification).to.equal('U');
    expect(I.GpElementSetSchema.safeParse({ ...gp, eccentricity: 1.2 }).success).to.equal(false);
    expect(I.GpElementSetSchema.safeParse({ ...gp, noradId: 340000 }).success).to.equal(false);
    expect(I.GpElementSetSchema.safeParse({ ...gp, objectId: '98067A' }).success).to.equal(false);
  });

  it('tracking measurements are a discriminated union with units per type', () => {
    const range = I.TrackingMeasurementSchema.parse({ type: 'range', epoch, objectId: 'SAT-A', stationId: 'AUS', rangeKm: 1523.2, sigmaKm: 0.005 });
    expect(range.type).to.equal('range');
    const r = I.TrackingMeasurementSchema.safeParse({ type: 'az-el', epoch, objectId: 'SAT-A', azimuthDeg: 400, elevationDeg: 10, sigmaDeg: 0.01 });
    expect(r.success).to.equal(false);
    expect(formatZodIssues((r as { error: z.ZodError }).error)[0]).to.match(/^azimuthDeg:/);
    expect(I.TrackingMeasurementSchema.safeParse({ type: 'laser', epoch, objectId: 'x' }).success).to.equal(false);
  });

  it('ephemeris points must be in time order; stations validate geodetic ranges', () => {
    const eph = { objectId: 'SAT-A', frame: 'EME2000', timeScale: 'UTC', points: [{ epoch: '2026-05-07T00:00:00', posKm: [7000, 0, 0], velKmS: [0, 7.5, 0] }, { epoch: '2026-05-07T00:01:00', posKm: [6990, 450, 0], velKmS: [-0.5, 7.5, 0] }] };
    expect(I.EphemerisSchema.safeParse(eph).success).to.equal(true);
    expect(I.EphemerisSchema.safeParse({ ...eph, points: [...eph.points].reverse() }).success).to.equal(false);
    expect(I.GroundStationSchema.safeParse({ id: 'AUS', name: 'Aussaguel', latDeg: 43.43, lonDeg: 1.5, heightM: 200 }).success).to.equal(true);
    expect(I.GroundStationSchema.safeParse({ id: 'AUS', name: 'Aussaguel', latDeg: 93.4, lonDeg: 1.5, heightM: 200 }).success).to.equal(false);
  });
});

describe('interfaces: service tokens', () => {
  it('every module of the 40-module catalog has a service token, with a unique name', () => {
    expect(Object.keys(I.MODULE_SERVICES).sort()).to.deep.equal([...CATALOG].sort());
    expect(CATALOG).to.have.length(40);
    const names = Object.values(I.MODULE_SERVICES).map((t) => t.name);
    expect(new Set(names).size).to.equal(40);
    for (const t of Object.values(I.MODULE_SERVICES)) {
      expect(t.kind).to.equal('service');
      expect(t.version).to.match(/^\d+\.\d+\.\d+$/);
    }
  });

  it('every topic schema is plain JSON data (expressible as JSON Schema)', () => {
    for (const t of I.ALL_TOPICS as readonly Topic<unknown>[]) expect(() => z.toJSONSchema(t.schema, { unrepresentable: 'throw', io: 'input' }), t.name).not.to.throw();
  });
});
