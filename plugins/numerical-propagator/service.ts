import { eopValuesOf } from '../../sdk/astro/eop';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FRAMES, type Frame } from '../../interfaces/domain/common';
import type { GravityField } from '../../interfaces/domain/reference-data';
import type { PropagationOutcome, PropagationRequest, PropagationSubject, Propagator } from '../../interfaces/services/propagation';
import { Epoch } from '../../sdk/astro/time';
import type { EopProvider, GravityFieldProvider, SpaceWeatherProvider } from '../../interfaces/services/reference-data';
import { MU_EARTH_KM3_S2, WGS84_A_KM } from '../../sdk/astro/constants';
import { applyTransform, applyTransformToCovariance, frameSetAtTimes, transformBetween, ZERO_EOP, type FrameEopValues, type FrameTransform } from '../../sdk/astro/frames';
import type { PluginLogger } from '../../sdk/context';
import { referenceDataPath } from '../../sdk/reference-data';
import { NrlmsiseDensity, SpaceWeatherSlots } from './atmosphere';
import { forceModelSchema, type ForceModelSettings, type NumericalPropagatorConfig } from './config';
import { PropagationFailure, propagateCowell, type SwitchingFunctions } from './cowell';
import { ForceModel } from './dynamics';
import { EopGrid } from './eop-grid';
import { BodyEphemeris, InterpolatedEarthRotation, UniformEarthRotation } from './environment';
import { Geopotential } from './geopotential';
import { parseGfc } from './gfc';
import { covarianceGcrfKm, initialConditions, initialGcrf, maneuverPlans, SubjectError, type InitialConditions } from './subject';
import { expandTimes, formatUtc, RequestError, type RequestTimes } from '../../sdk/propagation-times';

type Vec3 = [number, number, number];
type Outcome = PropagationOutcome;
type ErrorOutcome = Extract<Outcome, { ok: false }>;

export interface NumericalStats {
  requests: number;
  subjects: number;
  states: number;
  subjectErrors: number;
  /** Requests served with zero EOP because no eop.provider ran. */
  zeroEopRequests: number;
  /** Where the last geopotential came from. */
  gravitySource: string;
  /** Right-hand-side evaluations of the last request. */
  lastEvaluations: number;
  /** NRLMSISE-00 density evaluations of the last request. */
  lastDensityCalls: number;
  /** Source of the last space-weather inputs used by NRLMSISE-00 ('' before any). */
  spaceWeatherSource: string;
  /** Requests whose span reached outside the space-weather table (the provider's `extrapolated` flag). */
  extrapolatedSpaceWeatherRequests: number;
}

/** EOP grid spacing, days (1 h): linear interpolation of daily EOP on it is exact to the table's own interpolation at this step. */
const EOP_STEP_DAYS = 1 / 24;

/**
 * The `propagator.numerical` service: Cowell integration in GCRF (DOP853 by default) with the
 * geopotential of the gravity.provider (or the configured fallback file), Sun and Moon, SRP
 * with conical shadow, Harris–Priester or NRLMSISE-00 drag, impulsive and finite manoeuvres, and covariance
 * through the variational STM. Per-subject problems come back as `{ ok: false, error }`; only
 * a malformed request (times, frame, forceModel, limits) is thrown.
 */
export class NumericalPropagatorService implements Propagator {
  readonly stats: NumericalStats = {
    requests: 0,
    subjects: 0,
    states: 0,
    subjectErrors: 0,
    zeroEopRequests: 0,
    gravitySource: 'none yet',
    lastEvaluations: 0,
    lastDensityCalls: 0,
    spaceWeatherSource: '',
    extrapolatedSpaceWeatherRequests: 0,
  };
  private fallback?: { file: string; field: GravityField } | { file: string; error: string };
  private readonly geoCache = new Map<string, Geopotential>();

  constructor(
    private readonly config: NumericalPropagatorConfig,
    private readonly deps: {
      eop: () => EopProvider | undefined;
      gravity: () => GravityFieldProvider | undefined;
      /** The spaceweather.provider service, for NRLMSISE-00 drag (absent: such subjects fail 'unsupported'). */
      spaceWeather?: () => SpaceWeatherProvider | undefined;
      /** propagator.sgp4: the TEME state of a GP element set at its epoch (absent: gp subjects fail 'unsupported'). */
      sgp4?: () => Propagator | undefined;
      /** propagator.analytical: the osculating state of mean elements at their epoch (absent: mean elements fail 'unsupported'). */
      analytical?: () => Propagator | undefined;
      log?: PluginLogger;
      signal?: AbortSignal;
    },
  ) {}

  async capabilities(): Promise<{ name: string; inputs: ('gp' | 'state' | 'elements' | 'ephemeris')[]; covariance: boolean; maneuvers: boolean; frames: Frame[] }> {
    const inputs: ('gp' | 'state' | 'elements')[] = this.deps.sgp4?.() ? ['gp', 'state', 'elements'] : ['state', 'elements'];
    return { name: 'numerical', inputs, covariance: true, maneuvers: true, frames: [...FRAMES] };
  }

  async propagate(request: PropagationRequest): Promise<{ outcomes: PropagationOutcome[] }> {
    if (!request || typeof request !== 'object') throw new RequestError('propagation request must be an object { subjects, times, frame }');
    const { subjects } = request;
    if (!Array.isArray(subjects)) throw new RequestError('request.subjects must be an array');
    const frame = request.frame ?? 'GCRF';
    if (!(FRAMES as readonly string[]).includes(frame)) throw new RequestError(`request.frame '${String(frame)}' is not one of ${FRAMES.join(', ')}`);
    const times = expandTimes(request.times, this.config.maxOutputInstants);
    const fm = this.forceModel(request.forceModel);
    this.stats.requests++;
    this.stats.subjects += subjects.length;
    this.stats.lastEvaluations = 0;
    this.stats.lastDensityCalls = 0;

    const outcomes: Outcome[] = new Array(subjects.length);
    const ready: { slot: number; subject: PropagationSubject; ic: InitialConditions }[] = [];
    const resolved = await Promise.all(subjects.map((subject) => this.stateOfMeanElements(subject)));
    resolved.forEach((subject, slot) => {
      if (subject && typeof subject === 'object' && 'ok' in subject) {
        outcomes[slot] = subject;
        return;
      }
      const id = subject && typeof subject === 'object' && typeof subject.id === 'string' ? subject.id : `#${slot}`;
      if (!subject || typeof subject !== 'object' || typeof subject.id !== 'string') {
        outcomes[slot] = fail(id, 'invalid-elements', `subjects[${slot}] must be an object with a string id`);
        return;
      }
      try {
        const ic = initialConditions(subject);
        const span = Math.max(...times.epochs.map((e) => Math.abs(e.minus(ic.epoch0))), 0);
        if (span > this.config.maxSpanDays * 86400) throw new SubjectError('out-of-range', `subject '${id}': outputs reach ${(span / 86400).toFixed(2)} days from the epoch, more than maxSpanDays = ${this.config.maxSpanDays}`);
        ready.push({ slot, subject, ic });
      } catch (err) {
        outcomes[slot] = errorOutcome(id, err);
      }
    });
    if (ready.length === 0) return this.finish(outcomes, times);

    const eop = await this.eopGrid(ready.map((r) => r.ic.epoch0.mjd('UTC')), times, frame);
    let geo: Geopotential | undefined;
    if (fm.degree > 0) {
      try {
        geo = await this.geopotential(fm);
      } catch (err) {
        for (const r of ready) outcomes[r.slot] = fail(r.subject.id, 'unsupported', `subject '${r.subject.id}': no geopotential ${fm.degree}×${fm.order}: ${(err as Error).message}`);
        return this.finish(outcomes, times);
      }
    }
    const spaceWeather = await this.spaceWeatherSlots(fm, ready, times, outcomes);
    const outTransforms: (FrameTransform | undefined)[] = new Array(times.epochs.length);
    const transformAt = (k: number): FrameTransform => {
      let t = outTransforms[k];
      if (!t) {
        const e = times.epochs[k];
        const jdUtc = e.jd('UTC');
        t = transformBetween(frameSetAtTimes({ jdTt: e.jd('TT'), jdUtc }, eop.at(jdUtc[0] - 2400000.5 + jdUtc[1])), 'GCRF', frame as Frame);
        outTransforms[k] = t;
      }
      return t;
    };

    for (const r of ready) {
      if (this.deps.signal?.aborted) throw new RequestError('numerical-propagator is stopping: propagation abandoned');
      if (outcomes[r.slot]) continue; // failed already (no space-weather inputs)
      try {
        outcomes[r.slot] = this.propagateOne(r.subject, r.ic, times, frame as Frame, fm, geo, eop, request.covariance === true, transformAt, spaceWeather);
      } catch (err) {
        outcomes[r.slot] = errorOutcome(r.subject.id, err, r.ic);
      }
      // let other work run between subjects of a large batch
      await new Promise((res) => setImmediate(res));
    }
    return this.finish(outcomes, times);
  }

  private finish(outcomes: Outcome[], times: RequestTimes): { outcomes: Outcome[] } {
    for (const o of outcomes) {
      if (o.ok) this.stats.states += times.epochs.length;
      else this.stats.subjectErrors++;
    }
    return { outcomes };
  }

  private forceModel(overrides: unknown): ForceModelSettings {
    if (overrides !== undefined && (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))) throw new RequestError('request.forceModel must be an object');
    const parsed = forceModelSchema.safeParse({ ...this.config.forceModel, ...(overrides as object | undefined) });
    if (!parsed.success) throw new RequestError(`request.forceModel: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    if (parsed.data.order > parsed.data.degree) throw new RequestError(`request.forceModel: order ${parsed.data.order} exceeds degree ${parsed.data.degree}`);
    return parsed.data;
  }

  /**
   * Mean elements become the state their theory gives at their epoch, through the service of that
   * theory: a GP element set (SGP4/SDP4 mean elements) through `propagator.sgp4` (TEME state at
   * the set's epoch), mean Keplerian elements (`elements.mean`, e.g. Eckstein–Hechler) through
   * `propagator.analytical` (its mean → osculating conversion: the state at the elements' epoch in
   * their frame). The integration then starts from that osculating state; the subject's other
   * fields (physical, manoeuvres, covariance) are kept. Without the service, or when it refuses
   * the elements, the subject fails with the service's name / its error. Other subjects pass
   * through unchanged.
   */
  private async stateOfMeanElements(subject: PropagationSubject): Promise<PropagationSubject | ErrorOutcome> {
    if (!subject || typeof subject !== 'object' || typeof subject.id !== 'string' || subject.state) return subject;
    const id = subject.id;
    let via: { service: string; plugin: string; provider: Propagator | undefined; request: PropagationRequest; frame: Frame } | undefined;
    if (subject.gp && !subject.elements) {
      const provider = this.deps.sgp4?.();
      const epochUtc = (subject.gp as { epochUtc?: unknown }).epochUtc;
      if (provider && typeof epochUtc !== 'string') return fail(id, 'invalid-elements', `subject '${id}': gp.epochUtc must be a UTC ISO string`);
      via = { service: 'propagator.sgp4', plugin: 'sgp4', provider, request: { subjects: [{ id, gp: subject.gp }], times: { instantsUtc: [String(epochUtc)] }, frame: 'TEME' }, frame: 'TEME' };
    } else if (subject.elements && (subject.elements as { mean?: unknown }).mean === true) {
      const el = subject.elements;
      let epochUtc: string;
      try {
        epochUtc = formatUtc(Epoch.parse(el.epoch.iso, el.epoch.scale));
      } catch (err) {
        return fail(id, 'invalid-elements', `subject '${id}': elements.epoch: ${(err as Error).message}`);
      }
      via = { service: 'propagator.analytical', plugin: 'analytical-propagators', provider: this.deps.analytical?.(), request: { subjects: [{ id, elements: el }], times: { instantsUtc: [epochUtc] }, frame: el.frame }, frame: el.frame };
    }
    if (!via) return subject;
    const what = subject.gp && !subject.elements ? 'a GP element set (SGP4 mean elements)' : `mean elements (${subject.elements?.theory ?? 'no theory named'})`;
    if (!via.provider) return fail(id, 'unsupported', `subject '${id}': ${what} cannot be integrated directly: their osculating state at the epoch comes from the ${via.service} service (plugin '${via.plugin}'), which is not running`);
    let outcome: PropagationOutcome | undefined;
    try {
      outcome = (await via.provider.propagate(via.request)).outcomes?.[0];
    } catch (err) {
      return fail(id, 'unsupported', `subject '${id}': ${via.service} refused ${what}: ${(err as Error).message}`);
    }
    if (!outcome) return fail(id, 'internal', `subject '${id}': ${via.service} returned no outcome for ${what}`);
    if (!outcome.ok) return fail(id, outcome.error.code, `subject '${id}': ${via.service} at the element epoch: ${outcome.error.message}`);
    const { gp: _gp, elements: _el, ...rest } = subject;
    return { ...rest, state: { epoch: { iso: outcome.epochsUtc[0], scale: 'UTC' }, frame: via.frame, posKm: outcome.posKm[0], velKmS: outcome.velKmS[0] } };
  }

  /**
   * NRLMSISE-00 drag: the space-weather inputs of the whole request, one batched call on the
   * 3-hour grid covering every subject's epoch and the outputs (atmosphere.ts). Subjects with a
   * drag area fail 'unsupported' when no spaceweather.provider runs or when it fails; a span
   * outside the provider's table (its `extrapolated` flag) is used as the provider answers, with
   * a warning in the log and in health().
   */
  private async spaceWeatherSlots(fm: ForceModelSettings, ready: { slot: number; subject: PropagationSubject; ic: InitialConditions }[], times: RequestTimes, outcomes: Outcome[]): Promise<SpaceWeatherSlots | undefined> {
    if (fm.drag !== 'nrlmsise-00') return undefined;
    const dragged = ready.filter((r) => r.subject.physical?.dragAreaM2);
    if (dragged.length === 0) return undefined;
    const failAll = (why: string) => {
      for (const r of dragged) outcomes[r.slot] = fail(r.subject.id, 'unsupported', `subject '${r.subject.id}': forceModel.drag 'nrlmsise-00' ${why}`);
      return undefined;
    };
    const provider = this.deps.spaceWeather?.();
    if (!provider) return failAll("needs F10.7 and ap from the spaceweather.provider service (plugin 'space-weather'), which is not running: start it, or use drag 'harris-priester'");
    const mjds = [...dragged.map((r) => r.ic.epoch0.mjd('UTC')), ...times.epochs.map((e) => e.mjd('UTC'))];
    let slots: SpaceWeatherSlots;
    try {
      slots = await SpaceWeatherSlots.fetch(provider, Math.min(...mjds), Math.max(...mjds));
    } catch (err) {
      return failAll(`has no space-weather inputs: ${(err as Error).message}`);
    }
    this.stats.spaceWeatherSource = `${slots.source || 'spaceweather.provider'} (${slots.count} 3-hour slots in the last request${slots.predicted ? `, ${slots.predicted} predicted` : ''})`;
    if (slots.extrapolated.length > 0) {
      this.stats.extrapolatedSpaceWeatherRequests++;
      const x = slots.extrapolated;
      this.deps.log?.warn(
        `numerical-propagator: NRLMSISE-00 drag: ${x.length} of ${slots.count} 3-hour slots (${x[0]} … ${x[x.length - 1]}) are outside the space-weather table of ${slots.source}; the provider's extrapolated values are used`,
      );
    }
    return slots;
  }

  /** One batched EOP call on an hourly UTC grid covering every epoch and output; zero EOP (flagged) without a provider. */
  private async eopGrid(epochMjds: number[], times: RequestTimes, frame: string): Promise<EopGrid> {
    const outMjds = times.epochs.map((e) => e.mjd('UTC'));
    const all = [...epochMjds, ...outMjds];
    const lo = Math.min(...all) - 0.1;
    const hi = Math.max(...all) + 0.1;
    const nodes = EopGrid.nodes(lo, hi, EOP_STEP_DAYS);
    const provider = this.deps.eop();
    let values: FrameEopValues[];
    if (provider) {
      let records;
      try {
        records = await provider.at(nodes);
      } catch (err) {
        throw new RequestError(`EOP provider failed: ${(err as Error).message}`);
      }
      if (!Array.isArray(records) || records.length !== nodes.length) throw new RequestError(`EOP provider returned ${Array.isArray(records) ? records.length : 'no'} records for ${nodes.length} instants`);
      values = records.map(eopValuesOf);
    } else {
      this.stats.zeroEopRequests++;
      if (this.stats.zeroEopRequests === 1) this.deps.log?.warn(`numerical-propagator: no EOP provider running: GCRF↔ITRF for the geopotential, drag and ${frame} output use zero EOP (UT1 = UTC, no polar motion)`);
      values = nodes.map(() => ZERO_EOP);
    }
    return new EopGrid(nodes[0], EOP_STEP_DAYS, values);
  }

  private async geopotential(fm: ForceModelSettings): Promise<Geopotential> {
    const provider = this.deps.gravity();
    let field: GravityField;
    let source: string;
    if (provider) {
      field = await provider.coefficients({ degree: fm.degree, order: fm.order, ...(fm.model ? { model: fm.model } : {}) });
      source = `gravity.provider (${field.name})`;
    } else {
      const fb = this.fallbackField();
      if (fm.model && fm.model !== fb.name) throw new Error(`model '${fm.model}' asked but no gravity.provider runs and the fallback file holds '${fb.name}'`);
      field = fb;
      source = `fallback file ${this.config.gravityFallbackFile} (${fb.name})`;
    }
    this.stats.gravitySource = source;
    const key = `${source}|${fm.degree}|${fm.order}`;
    let g = this.geoCache.get(key);
    if (!g) {
      g = new Geopotential(field, fm.degree, fm.order);
      if (this.geoCache.size > 8) this.geoCache.clear();
      this.geoCache.set(key, g);
    }
    return g;
  }

  private fallbackField(): GravityField {
    const spec = this.config.gravityFallbackFile;
    if (!spec) throw new Error('no gravity.provider running and no gravityFallbackFile configured');
    if (!this.fallback) {
      let file = spec;
      try {
        file = spec.startsWith('ref:') ? referenceDataPath(spec.slice(4)) : path.resolve(spec);
        const field = parseGfc(fs.readFileSync(file, 'utf8'), file);
        this.fallback = { file, field };
        this.deps.log?.info(`numerical-propagator: no gravity.provider: using ${field.name} ${field.degree}×${field.order} from ${file}`);
      } catch (err) {
        this.fallback = { file, error: (err as Error).message };
        this.deps.log?.error(`numerical-propagator: gravity fallback file ${spec} unusable: ${(err as Error).message}`);
      }
    }
    if ('error' in this.fallback) throw new Error(`gravity fallback file ${this.fallback.file}: ${this.fallback.error}`);
    return this.fallback.field;
  }

  private propagateOne(
    subject: PropagationSubject,
    ic: InitialConditions,
    times: RequestTimes,
    frame: Frame,
    fm: ForceModelSettings,
    geo: Geopotential | undefined,
    eop: EopGrid,
    wantCov: boolean,
    transformAt: (k: number) => FrameTransform,
    spaceWeather?: SpaceWeatherSlots,
  ): Outcome {
    const id = subject.id;
    const y0 = initialGcrf(ic, eop);
    const outputs = times.epochs.map((e) => e.minus(ic.epoch0));
    const tMin = Math.min(0, ...outputs);
    const tMax = Math.max(0, ...outputs);
    const phys = subject.physical;
    if (phys !== undefined && !(typeof phys.massKg === 'number' && phys.massKg > 0)) throw new SubjectError('invalid-elements', `subject '${id}': physical.massKg must be > 0`);
    const atmosphere = fm.drag === 'nrlmsise-00' && phys?.dragAreaM2 ? new NrlmsiseDensity(spaceWeather!, ic.epoch0.mjd('UTC'), fm.nrlmsiseAp) : undefined;
    const drag = fm.drag !== 'none' && phys?.dragAreaM2 ? { cd: phys.cd ?? 2.2, areaM2: phys.dragAreaM2, harrisPriesterN: fm.harrisPriesterN, atmosphere } : undefined;
    const srp = fm.srp && phys?.srpAreaM2 ? { cr: phys.cr ?? 1.3, areaM2: phys.srpAreaM2, shadow: fm.shadow } : undefined;
    const needsRotation = Boolean((geo && geo.degree >= 1) || drag);
    const rotation = needsRotation ? new InterpolatedEarthRotation(ic.epoch0, tMin, tMax, (mjd) => eop.at(mjd), this.config.earthRotationNodeS) : new UniformEarthRotation(0);
    const bodies = fm.sun || fm.moon || drag || srp ? new BodyEphemeris(ic.epoch0) : undefined;
    const force = new ForceModel({ geopotential: geo, muKm3S2: MU_EARTH_KM3_S2, rotation, bodies, sun: fm.sun, moon: fm.moon, drag, srp });
    const { impulses, burns } = maneuverPlans(subject, ic.epoch0, eop);
    if (burns.some((b) => b.burn.thrustN !== undefined) && !phys && burns.some((b) => b.massAtStartKg === undefined)) {
      throw new SubjectError('invalid-elements', `subject '${id}': a finite manoeuvre with thrustN needs a mass (physical.massKg or the manoeuvre's massKg)`);
    }
    const covIn = wantCov && subject.covariance ? covarianceGcrfKm(id, subject.covariance, ic, y0, eop) : undefined;
    const result = propagateCowell({
      force,
      y0,
      massKg: phys?.massKg ?? 1000,
      outputs,
      stm: covIn !== undefined,
      impulses,
      burns,
      method: fm.method,
      rtol: fm.rtol,
      atolKm: fm.atolKm,
      hMaxS: fm.maxStepS,
      minRadiusKm: WGS84_A_KM + this.config.minAltitudeKm,
      signal: this.deps.signal,
      switching: fm.shadowEvents && force.hasShadow ? shadowSwitching(force) : undefined,
    });
    this.stats.lastEvaluations += result.evaluations;
    if (atmosphere) this.stats.lastDensityCalls += atmosphere.calls;
    const n = outputs.length;
    const posKm: Vec3[] = new Array(n);
    const velKmS: Vec3[] = new Array(n);
    const covariances: number[][][] | undefined = covIn ? new Array(n) : undefined;
    for (let k = 0; k < n; k++) {
      const s = result.states.subarray(6 * k, 6 * k + 6);
      const t = frame === 'GCRF' ? undefined : transformAt(k);
      if (t) {
        const o = applyTransform(t, { posKm: [s[0], s[1], s[2]], velKmS: [s[3], s[4], s[5]] });
        posKm[k] = o.posKm;
        velKmS[k] = o.velKmS;
      } else {
        posKm[k] = [s[0], s[1], s[2]];
        velKmS[k] = [s[3], s[4], s[5]];
      }
      if (covariances && covIn) {
        const phi = result.stms!.subarray(36 * k, 36 * k + 36);
        const P = propagateCov(phi, covIn);
        covariances[k] = t ? applyTransformToCovariance(t, P) : P;
      }
    }
    return covariances ? { id, ok: true, frame, epochsUtc: times.isoUtc, posKm, velKmS, covariances } : { id, ok: true, frame, epochsUtc: times.isoUtc, posKm, velKmS };
  }
}

/** The Earth-shadow boundaries as switching functions of the integration (cowell.ts). */
export function shadowSwitching(force: ForceModel): SwitchingFunctions {
  return { count: 2, names: ['penumbra', 'umbra'], g: (t, y, out) => force.shadowSwitching(t, y[0], y[1], y[2], out) };
}

/** P(t) = Φ P₀ Φᵀ, symmetrized. */
function propagateCov(phi: ArrayLike<number>, P0: number[][]): number[][] {
  const A: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 6; i++) for (let k = 0; k < 6; k++) for (let j = 0; j < 6; j++) A[i][j] += phi[6 * i + k] * P0[k][j];
  const P: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 6; i++)
    for (let j = i; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += A[i][k] * phi[6 * j + k];
      P[i][j] = s;
      P[j][i] = s;
    }
  return P;
}

function fail(id: string, code: ErrorOutcome['error']['code'], message: string, atUtc?: string): ErrorOutcome {
  return { id, ok: false, error: atUtc === undefined ? { code, message } : { code, message, atUtc } };
}

function errorOutcome(id: string, err: unknown, ic?: InitialConditions): ErrorOutcome {
  if (err instanceof SubjectError) return fail(id, err.code, err.message);
  if (err instanceof PropagationFailure) {
    const at = ic ? formatUtc(ic.epoch0.plusSeconds(err.t)) : undefined;
    return fail(id, err.code, `subject '${id}': ${err.message}${at ? ` at ${at}` : ''}`, at);
  }
  return fail(id, 'internal', `subject '${id}': ${(err as Error)?.message ?? String(err)}`);
}
