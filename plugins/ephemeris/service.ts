import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { FRAMES, type Frame } from '../../interfaces/domain/common';
import { EphemerisSchema, type Ephemeris } from '../../interfaces/domain/ephemeris';
import type { Product } from '../../interfaces/domain/product';
import type { StateVector } from '../../interfaces/domain/state';
import type { EphemerisService, PropagationSubject, Propagator } from '../../interfaces/services/propagation';
import type { EopProvider } from '../../interfaces/services/reference-data';
import type { EphemerisPublished } from '../../interfaces/topics';
import type { Payload } from '../../sdk/topic';
import { applyTransform, frameSetAtTimes, transformBetween, ZERO_EOP, type FrameEopValues } from '../../sdk/astro/frames';
import { Epoch } from '../../sdk/astro/time';
import { writeNdm } from '../../sdk/ccsds';
import type { PluginLogger } from '../../sdk/context';
import { writeAtomic } from '../../sdk/files';
import type { EphemerisConfig } from './config';
import { InterpolationError, type InterpolationMethod } from './interpolate';
import { oemFromEphemeris } from './oem-io';
import type { OemStore } from './store';
import { Trajectory, trajectoryFromEphemeris, type InterpolationChoice } from './trajectory';

export type PropagatorKind = 'sgp4' | 'analytical' | 'numerical';

/** Which plugin provides each propagator (for the error an operator reads). */
const PROPAGATOR_PLUGINS: Record<PropagatorKind, { service: string; plugin: string }> = {
  sgp4: { service: 'propagator.sgp4', plugin: 'sgp4' },
  analytical: { service: 'propagator.analytical', plugin: 'analytical-propagators' },
  numerical: { service: 'propagator.numerical', plugin: 'numerical-propagator' },
};

/** A request the module cannot serve, with the reason (field and value). */
export class EphemerisRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EphemerisRequestError';
  }
}

export interface EphemerisDeps {
  propagator(kind: PropagatorKind): Propagator | undefined;
  eop(): EopProvider | undefined;
  store: OemStore;
  productsDir: string;
  publishProduct(product: Product): void;
  publishEphemeris(message: Payload<typeof EphemerisPublished>): void;
  log: PluginLogger;
  now(): Date;
}

export interface EphemerisStats {
  generated: number;
  interpolatedStates: number;
  products: number;
  zeroEopConversions: number;
}

const ISO_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,12})?Z?$/;

/** UTC ISO text with the Z: milliseconds, or more digits (up to nanoseconds) when the instant needs them. */
export function formatUtc(epoch: Epoch): string {
  const ns = epoch.toIso('UTC', 9);
  // 'YYYY-MM-DDThh:mm:ss.fffffffffZ': trailing zeros beyond the milliseconds are dropped.
  return ns.replace(/(\.\d{3}\d*?)0*Z$/, '$1Z');
}

function parseUtc(text: unknown, what: string): Epoch {
  if (typeof text !== 'string') throw new EphemerisRequestError(`${what} must be an ISO-8601 UTC string, got ${JSON.stringify(text)}`);
  try {
    return Epoch.parse(text, 'UTC');
  } catch (err) {
    throw new EphemerisRequestError(`${what}: ${(err as Error).message}`);
  }
}

/**
 * The `ephemeris` service: generation through the propagator services, interpolation of
 * generated, given or received (OEM) ephemerides, OEM products.
 */
export class EphemerisModule implements EphemerisService {
  readonly stats: EphemerisStats = { generated: 0, interpolatedStates: 0, products: 0, zeroEopConversions: 0 };
  #sequence = 0;

  constructor(
    private readonly config: EphemerisConfig,
    private readonly deps: EphemerisDeps,
  ) {}

  async generate(request: Parameters<EphemerisService['generate']>[0]): Promise<Ephemeris> {
    if (!request || typeof request !== 'object') throw new EphemerisRequestError('generate: the request must be { subject, startUtc, stopUtc, stepS, frame, propagator }');
    const kind = request.propagator;
    if (!(kind in PROPAGATOR_PLUGINS)) throw new EphemerisRequestError(`generate: propagator '${String(kind)}' is not one of sgp4, analytical, numerical`);
    if (!(FRAMES as readonly string[]).includes(request.frame)) throw new EphemerisRequestError(`generate: frame '${String(request.frame)}' is not one of ${FRAMES.join(', ')}`);
    const subject = request.subject;
    if (!subject || typeof subject.id !== 'string') throw new EphemerisRequestError('generate: subject must be an object with a string id (and gp, state or elements)');
    const start = parseUtc(request.startUtc, 'generate: startUtc');
    const stop = parseUtc(request.stopUtc, 'generate: stopUtc');
    const step = request.stepS;
    if (typeof step !== 'number' || !Number.isFinite(step) || !(step > 0)) throw new EphemerisRequestError(`generate: stepS must be a number > 0, got ${JSON.stringify(step)}`);
    const span = stop.minus(start);
    if (span < 0) throw new EphemerisRequestError(`generate: stopUtc ${request.stopUtc} is before startUtc ${request.startUtc}`);
    const count = Math.floor(span / step + 1e-9) + 1;
    const lastOnGrid = (count - 1) * step;
    const total = count + (span - lastOnGrid > 1e-6 ? 1 : 0);
    if (total > this.config.maxPoints) throw new EphemerisRequestError(`generate: ${request.startUtc} … ${request.stopUtc} every ${step} s is ${total} points, more than maxPoints = ${this.config.maxPoints}`);
    const propagator = this.deps.propagator(kind);
    if (!propagator) {
      const p = PROPAGATOR_PLUGINS[kind];
      throw new EphemerisRequestError(`generate: propagator '${kind}' is not available: no running plugin provides the service ${p.service} (enable the '${p.plugin}' plugin)`);
    }
    // The window is covered to its end: the stop instant is added when it is off the grid,
    // so that interpolation is possible over the whole requested span.
    const instants: string[] = [];
    for (let k = 0; k < count; k++) instants.push(formatUtc(start.plusSeconds(k * step)));
    if (total > count) instants.push(formatUtc(stop));
    const { outcomes } = await propagator.propagate({ subjects: [subject], times: { instantsUtc: instants }, frame: request.frame, ...(request.covariance ? { covariance: true } : {}) });
    const o = outcomes?.[0];
    if (!o) throw new EphemerisRequestError(`generate: propagator '${kind}' returned no outcome for '${subject.id}'`);
    if (!o.ok) throw new EphemerisRequestError(`generate: ${kind} propagation of '${subject.id}' failed: ${o.error.code}: ${o.error.message}${o.error.atUtc ? ` (at ${o.error.atUtc})` : ''}`);
    if (o.epochsUtc.length !== instants.length) throw new EphemerisRequestError(`generate: propagator '${kind}' returned ${o.epochsUtc.length} states for ${instants.length} instants`);
    if (request.covariance && !o.covariances) throw new EphemerisRequestError(`generate: propagator '${kind}' returned no covariance for '${subject.id}' (does the subject carry one? capabilities().covariance says whether the propagator can)`);
    const eph: Ephemeris = {
      ...identity(subject),
      centre: 'EARTH',
      frame: o.frame,
      timeScale: 'UTC',
      interpolation: { method: this.config.interpolation.method, degree: this.config.interpolation.degree },
      points: o.epochsUtc.map((epoch, i) => ({ epoch, posKm: o.posKm[i], velKmS: o.velKmS[i] })),
      ...(o.covariances ? { covariances: o.covariances.map((c, i) => ({ epoch: o.epochsUtc[i], frame: o.frame, covKm2: c })) } : {}),
      source: PROPAGATOR_PLUGINS[kind].service,
    };
    this.stats.generated++;
    return EphemerisSchema.parse(eph);
  }

  async interpolate(request: Parameters<EphemerisService['interpolate']>[0]): Promise<StateVector[]> {
    if (!request || typeof request !== 'object') throw new EphemerisRequestError('interpolate: the request must be { ephemerisId | ephemeris, instantsUtc, method?, degree?, frame? }');
    const { trajectory, name } = this.#trajectory(request);
    if (!Array.isArray(request.instantsUtc)) throw new EphemerisRequestError('interpolate: instantsUtc must be an array of ISO-8601 UTC strings');
    const choice = this.#choice(request.method, request.degree);
    const frame = request.frame ?? trajectory.info.frame;
    if (!(FRAMES as readonly string[]).includes(frame)) throw new EphemerisRequestError(`interpolate: frame '${String(frame)}' is not one of ${FRAMES.join(', ')}`);
    const epochs = request.instantsUtc.map((t, i) => parseUtc(t, `interpolate: instantsUtc[${i}]`));
    let states;
    try {
      states = trajectory.statesAt(epochs, request.instantsUtc, choice, this.#fallback());
    } catch (err) {
      if (err instanceof InterpolationError) throw new EphemerisRequestError(`interpolate ${name}: ${err.message}`);
      throw err;
    }
    if (frame !== trajectory.info.frame) {
      const eops = await this.#eop(epochs);
      states = states.map((s, i) => {
        const e = epochs[i];
        const tr = transformBetween(frameSetAtTimes({ jdTt: e.jd('TT'), jdUtc: e.jd('UTC') }, eops[i]), trajectory.info.frame, frame);
        return { ...applyTransform(tr, s), degree: s.degree };
      });
    }
    this.stats.interpolatedStates += states.length;
    return states.map((s, i) => ({
      epoch: { iso: ISO_RE.test(request.instantsUtc[i]) ? request.instantsUtc[i] : formatUtc(epochs[i]), scale: 'UTC' },
      frame,
      posKm: s.posKm,
      velKmS: s.velKmS,
    }));
  }

  async publishOem(request: Parameters<EphemerisService['publishOem']>[0]): Promise<{ productId: string; path: string }> {
    if (!request || typeof request !== 'object') throw new EphemerisRequestError('publishOem: the request must be { ephemeris, format, originator }');
    const { format } = request;
    if (format !== 'kvn' && format !== 'xml') throw new EphemerisRequestError(`publishOem: format '${String(format)}' is not kvn or xml`);
    const originator = typeof request.originator === 'string' && request.originator.trim() ? request.originator.trim() : this.config.originator;
    const parsed = EphemerisSchema.safeParse(request.ephemeris);
    if (!parsed.success) throw new EphemerisRequestError(`publishOem: ephemeris: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    const eph = parsed.data;
    // Parsing the epochs checks them (and the time scale) before anything is written.
    let trajectory: Trajectory;
    try {
      trajectory = trajectoryFromEphemeris(eph, eph.source ?? 'request');
    } catch (err) {
      throw new EphemerisRequestError(`publishOem: ${(err as Error).message}`);
    }
    const now = this.deps.now();
    const createdUtc = now.toISOString();
    const text = writeNdm(oemFromEphemeris(eph, originator, createdUtc), format);
    const win = trajectory.window();
    const startUtc = formatUtc(win.start);
    const stopUtc = formatUtc(win.stop);
    const productId = `oem-${safeName(eph.objectId)}-${compact(startUtc)}-${compact(createdUtc)}-${(++this.#sequence).toString(36)}`;
    const file = path.join(this.deps.productsDir, `${productId}.${format === 'kvn' ? 'oem' : 'xml'}`);
    const bytes = Buffer.from(text, 'utf8');
    writeAtomic(file, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const source = eph.source ?? 'ephemeris';
    this.deps.publishProduct({
      id: productId,
      kind: 'OEM',
      format,
      path: file,
      mediaType: format === 'kvn' ? 'text/plain' : 'application/xml',
      sizeBytes: bytes.length,
      sha256,
      createdAtUtc: createdUtc,
      producedBy: 'ephemeris',
      objectIds: [eph.objectId],
      validity: { startUtc, stopUtc },
      metadata: { frame: eph.frame, timeScale: eph.timeScale, points: String(eph.points.length), covariances: String(eph.covariances?.length ?? 0), source, originator },
    });
    this.deps.publishEphemeris({ objectId: eph.objectId, ...(eph.noradId !== undefined ? { noradId: eph.noradId } : {}), frame: eph.frame, window: { startUtc, stopUtc }, points: eph.points.length, productId, path: file, source });
    this.stats.products++;
    this.deps.log.info(`OEM ${format.toUpperCase()} product ${productId}: ${eph.objectId}, ${eph.points.length} points ${startUtc} … ${stopUtc}, ${file}`);
    return { productId, path: file };
  }

  async list(): Promise<{ ephemerisId: string; objectId: string; frame: Frame; startUtc: string; stopUtc: string; source: string }[]> {
    return this.deps.store.all().map((e) => {
      const w = e.trajectory.window();
      return { ephemerisId: e.ephemerisId, objectId: e.objectId, frame: e.trajectory.info.frame, startUtc: formatUtc(w.start), stopUtc: formatUtc(w.stop), source: e.file.originalName };
    });
  }

  #trajectory(request: { ephemerisId?: string; ephemeris?: Ephemeris }): { trajectory: Trajectory; name: string } {
    const hasId = request.ephemerisId !== undefined;
    const hasEph = request.ephemeris !== undefined;
    if (hasId === hasEph) throw new EphemerisRequestError('interpolate: give exactly one of ephemerisId (a received OEM, see list()) or ephemeris');
    if (hasId) {
      const stored = typeof request.ephemerisId === 'string' ? this.deps.store.get(request.ephemerisId) : undefined;
      if (!stored) throw new EphemerisRequestError(`interpolate: no ephemeris '${String(request.ephemerisId)}' (list() gives the ids of the received OEMs)`);
      return { trajectory: stored.trajectory, name: `'${stored.ephemerisId}'` };
    }
    const parsed = EphemerisSchema.safeParse(request.ephemeris);
    if (!parsed.success) throw new EphemerisRequestError(`interpolate: ephemeris: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    try {
      return { trajectory: trajectoryFromEphemeris(parsed.data, parsed.data.source ?? 'request'), name: `of ${parsed.data.objectId}` };
    } catch (err) {
      throw new EphemerisRequestError(`interpolate: ${(err as Error).message}`);
    }
  }

  #choice(method: unknown, degree: unknown): InterpolationChoice | undefined {
    if (method === undefined && degree === undefined) return undefined;
    if (method !== undefined && method !== 'lagrange' && method !== 'hermite') throw new EphemerisRequestError(`interpolate: method '${String(method)}' is not lagrange or hermite`);
    const m = (method as InterpolationMethod | undefined) ?? this.config.interpolation.method;
    const d = degree ?? (m === this.config.interpolation.method ? this.config.interpolation.degree : m === 'lagrange' ? 8 : 7);
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 15) throw new EphemerisRequestError(`interpolate: degree must be an integer from 1 to 15, got ${JSON.stringify(degree)}`);
    return { method: m, degree: d };
  }

  #fallback(): InterpolationChoice {
    return { method: this.config.interpolation.method, degree: this.config.interpolation.degree };
  }

  async #eop(epochs: Epoch[]): Promise<FrameEopValues[]> {
    const provider = this.deps.eop();
    if (!provider) {
      this.stats.zeroEopConversions++;
      if (this.stats.zeroEopConversions === 1) this.deps.log.warn('no eop.provider running: frame conversions use ZERO EOP (UT1 = UTC, no polar motion; up to ~420 m at the equator in ITRF)');
      return epochs.map(() => ZERO_EOP);
    }
    const recs = await provider.at(epochs.map((e) => e.mjd('UTC')));
    if (!Array.isArray(recs) || recs.length !== epochs.length) throw new EphemerisRequestError(`EOP provider returned ${Array.isArray(recs) ? recs.length : 'no'} records for ${epochs.length} instants`);
    return recs.map((r) => ({
      ut1MinusUtcS: r.ut1MinusUtcS,
      lodS: r.lodS,
      xpArcsec: r.xpArcsec,
      ypArcsec: r.ypArcsec,
      ...(r.dPsiArcsec !== undefined && r.dEpsArcsec !== undefined ? { dPsiArcsec: r.dPsiArcsec, dEpsArcsec: r.dEpsArcsec } : {}),
      ...(r.dXArcsec !== undefined && r.dYArcsec !== undefined ? { dXArcsec: r.dXArcsec, dYArcsec: r.dYArcsec } : {}),
    }));
  }
}

/** Object name, NORAD id and product designator of a propagation subject. */
function identity(s: PropagationSubject): Pick<Ephemeris, 'objectId' | 'objectName' | 'noradId'> {
  const gp = s.gp;
  const out: Pick<Ephemeris, 'objectId' | 'objectName' | 'noradId'> = { objectId: gp?.noradId !== undefined ? String(gp.noradId) : s.id };
  if (gp?.noradId !== undefined) out.noradId = gp.noradId;
  if (gp?.objectName) out.objectName = gp.objectName;
  return out;
}

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'object';
const compact = (iso: string): string => iso.replace(/[-:]/g, '').replace(/\.\d+/, '').replace(/Z$/, '');
