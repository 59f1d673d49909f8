import type { Conjunction } from '../../interfaces/domain/conjunction';
import type { Ephemeris } from '../../interfaces/domain/ephemeris';
import type { Catalog } from '../../interfaces/services/acquisition';
import type { Maneuver } from '../../interfaces/domain/maneuver';
import type { AvoidanceManeuverPlanner, CollisionProbability, ConjunctionScreener, PcInput } from '../../interfaces/services/collision';
import type { Propagator } from '../../interfaces/services/propagation';
import { inertialToLocal, localToInertial, rtnRotation } from '../../sdk/astro/frames/local';
import { twoBodyTransition } from '../../sdk/astro/twobody';
import { type Vec3, add, cross, dot, norm, scale, sub } from '../../sdk/astro/vec';
import type { AvoidanceConfig } from './config';
import { type BurnDirection, displacementAtTca } from './linear';
import { type PcBatch, type PlannedOption, type PlanResult, planOptions } from './planner';

/** The services this module uses when they run (all optional but Pc, see README). */
export interface Collaborators {
  pc?: CollisionProbability;
  /** `propagator.numerical` (verification; burn displacement of the re-screening). */
  propagator?: Propagator;
  screener?: ConjunctionScreener;
  /** Catalog and SGP4: the primary's orbit the manoeuvred trajectory is built on (re-screening). */
  catalog?: Catalog;
  sgp4?: Propagator;
  log: { info(m: string): void; warn(m: string): void };
}

export interface Check {
  ok: boolean;
  detail: string;
}

export interface CheckedPlan extends PlanResult {
  /** Index into `options` of the recommended option (checked), or -1. */
  recommended: number;
  checks: { option: PlannedOption; rescreen: Check; verify: Check }[];
}

const msOf = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);

export function toManeuver(c: Conjunction, o: PlannedOption): Maneuver {
  return {
    id: `${c.id}-avoid-${o.direction}${o.sign > 0 ? '+' : '-'}-${o.leadRevolutions}rev`,
    objectId: c.primary.objectId,
    kind: 'impulsive',
    epoch: { iso: o.burnUtc, scale: 'UTC' },
    durationS: 0,
    deltaVKmS: o.dvRtnKmS,
    frame: 'RTN',
    purpose: 'avoidance',
    status: 'proposed',
  };
}

export function pcBatchOf(pc: CollisionProbability | undefined, cfg: AvoidanceConfig): PcBatch | undefined {
  if (!pc) return undefined;
  return async (inputs: PcInput[]) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`collision-probability: no answer within ${cfg.pcTimeoutMs} ms`)), cfg.pcTimeoutMs);
    });
    try {
      const res = await Promise.race([pc.compute({ inputs, methods: [cfg.pcMethod] }), timeout]);
      return res.map((r) => (r?.[0] && Number.isFinite(r[0].pc) ? r[0].pc : undefined));
    } finally {
      if (timer) clearTimeout(timer);
    }
  };
}

/**
 * A displacement δx computed about a two-body reference orbit (state `ref` at t), moved onto the
 * catalog orbit (state `cat` at the same t): the same relative motion, in the local orbital frame
 * of each. Why: the two-body orbit through the burn state does not follow the catalog (J2) orbit —
 * its mean motion is the osculating one, the catalog orbit's argument of latitude advances at
 * ṁ + ω̇ + Ω̇ cos i — so the two drift apart in phase at ~2.3e-3 n for Hubble (62 mrad 6.8 h after the
 * burn, 222 mrad after 24 h); an inertial δx taken from the reference points along the reference's
 * track, not the catalog orbit's, and added as such it is off by that angle (6.4 % of |δx| at
 * 6.8 h, 23 % at 24 h; README "Two-body STM and J2"). With M = R_catᵀ R_ref (R: inertial → RTN):
 *   δr' = M δr,   δv' = M δv + (ω_cat − M ω_ref) × δr',   ω = r × v / |r|²
 * (the relative velocity in the rotating frame kept; ω the rate of the radius direction).
 */
export function onCatalogOrbit(ref: { posKm: readonly number[]; velKmS: readonly number[] }, cat: { posKm: readonly number[]; velKmS: readonly number[] }, d: { dPosKm: Vec3; dVelKmS: Vec3 }): { dPosKm: Vec3; dVelKmS: Vec3 } {
  const toCat = (v: readonly number[]) => localToInertial(rtnRotation(cat.posKm, cat.velKmS), inertialToLocal(rtnRotation(ref.posKm, ref.velKmS), v));
  const rate = (s: { posKm: readonly number[]; velKmS: readonly number[] }) => scale(cross(s.posKm, s.velKmS), 1 / dot(s.posKm, s.posKm));
  const dPosKm = toCat(d.dPosKm);
  return { dPosKm, dVelKmS: add(toCat(d.dVelKmS), cross(sub(rate(cat), toCat(rate(ref))), dPosKm)) };
}

/** Instant `ms` (UTC, ms since 1970) as ISO-8601 with milliseconds. */
const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * The manoeuvred trajectory of the primary as an ephemeris (GCRF, UTC), from the burn to
 * TCA + `rescreen.horizonH`, every `rescreen.stepS`:
 *   x'(t) = x_SGP4(t) + δx(t)
 * the primary's catalog orbit (SGP4 through `propagator.sgp4`, GCRF — the very trajectory the
 * screening compares with the catalog, so nothing but the burn separates the two) plus the
 * change the burn makes: with `propagator.numerical`, the difference of two two-body + J2
 * propagations from the SGP4 state 60 s before the burn, with and without the impulse (same
 * model on both arms: the model's own error on the coasting orbit cancels, its effect on the
 * displacement stays); without it, the two-body STM from the burn state, δx = Φ(t, t_b)·(0, Δv)
 * (Battin §9.7; O(|Δv|²) neglected), computed about the two-body orbit through the burn state
 * and carried onto the catalog orbit in the local orbital frame (`onCatalogOrbit`: the two orbits
 * drift apart in phase under J2). At the burn instant itself δx = (0, Δv).
 * Returns the ephemeris and the model used, or why it cannot be built.
 */
export async function manoeuvredEphemeris(c: Conjunction, o: PlannedOption, cfg: AvoidanceConfig, co: Collaborators): Promise<{ ephemeris: Ephemeris; model: string } | { reason: string }> {
  const noradId = c.primary.noradId;
  if (noradId === undefined) return { reason: `primary '${c.primary.objectId}' has no NORAD id (the manoeuvred trajectory is built on its catalog orbit)` };
  if (!co.catalog || !co.sgp4) return { reason: `the catalog orbit of NORAD ${noradId} is needed (${!co.catalog ? "no 'catalog' service: enable tle-catalog" : "no 'propagator.sgp4' service: enable sgp4"})` };
  const found = (await co.catalog.get([noradId])).found[0];
  if (!found) return { reason: `NORAD ${noradId} is not in the catalog` };
  const gp = found.elements;
  const burnMs = msOf(o.burnUtc);
  const endMs = msOf(c.tcaUtc) + cfg.rescreen.horizonH * 3_600_000;
  const stepMs = cfg.rescreen.stepS * 1000;
  const nodes: number[] = [];
  for (let k = 0; burnMs + k * stepMs < endMs - 1; k++) nodes.push(burnMs + k * stepMs);
  nodes.push(endMs);
  const preMs = burnMs - 60_000;
  const base = await co.sgp4.propagate({ subjects: [{ id: String(noradId), gp }], times: { instantsUtc: [preMs, ...nodes].map(isoOf) }, frame: 'GCRF' });
  const b = base.outcomes[0];
  if (!b?.ok) return { reason: `SGP4 of NORAD ${noradId} over ${o.burnUtc} … ${isoOf(endMs)} failed: ${b && !b.ok ? `${b.error.code}: ${b.error.message}` : 'no outcome'}` };
  const posAt = (i: number): Vec3 => b.posKm[i + 1] as Vec3;
  const velAt = (i: number): Vec3 => b.velKmS[i + 1] as Vec3;
  const dvI = localToInertial(rtnRotation(posAt(0), velAt(0)), o.dvRtnKmS);
  const delta: { dPosKm: Vec3; dVelKmS: Vec3 }[] = nodes.map(() => ({ dPosKm: [0, 0, 0], dVelKmS: [0, 0, 0] }));
  delta[0] = { dPosKm: [0, 0, 0], dVelKmS: [...dvI] as Vec3 };
  let model: string;
  if (co.propagator) {
    const state0 = { epoch: { iso: isoOf(preMs), scale: 'UTC' as const }, frame: 'GCRF' as const, posKm: b.posKm[0], velKmS: b.velKmS[0] };
    const fwd = await co.propagator.propagate({
      subjects: [
        { id: 'coast', state: state0 },
        { id: 'burn', state: state0, maneuvers: [toManeuver(c, o)] },
      ],
      times: { instantsUtc: nodes.slice(1).map(isoOf) },
      frame: 'GCRF',
      forceModel: J2_ONLY,
    });
    const [coast, burn] = fwd.outcomes;
    if (!coast?.ok || !burn?.ok) return { reason: `numerical propagation of the burn failed: ${[coast, burn].map((x) => (x && !x.ok ? x.error.message : '')).filter(Boolean).join('; ') || 'no outcome'}` };
    for (let i = 1; i < nodes.length; i++) delta[i] = { dPosKm: sub(burn.posKm[i - 1], coast.posKm[i - 1]), dVelKmS: sub(burn.velKmS[i - 1], coast.velKmS[i - 1]) };
    model = 'SGP4 + burn displacement by numerical propagation (two-body + J2, with minus without the impulse)';
  } else {
    for (let i = 1; i < nodes.length; i++) {
      const tb = twoBodyTransition(posAt(0), velAt(0), (nodes[i] - burnMs) / 1000);
      const row = (r: number) => tb.stm[r][3] * dvI[0] + tb.stm[r][4] * dvI[1] + tb.stm[r][5] * dvI[2];
      delta[i] = onCatalogOrbit({ posKm: tb.posKm, velKmS: tb.velKmS }, { posKm: posAt(i), velKmS: velAt(i) }, { dPosKm: [row(0), row(1), row(2)], dVelKmS: [row(3), row(4), row(5)] });
    }
    model = 'SGP4 + burn displacement by the two-body STM, carried in the local orbital frame';
  }
  const ephemeris: Ephemeris = {
    objectId: c.primary.objectId,
    noradId,
    ...(c.primary.name ? { objectName: c.primary.name } : {}),
    centre: 'EARTH',
    frame: 'GCRF',
    timeScale: 'UTC',
    interpolation: { method: 'lagrange', degree: 8 },
    points: nodes.map((t, i) => ({ epoch: isoOf(t), posKm: add(posAt(i), delta[i].dPosKm) as Vec3, velKmS: add(velAt(i), delta[i].dVelKmS) as Vec3 })),
    source: `avoidance-maneuver ${toManeuver(c, o).id}: ${model}`,
  };
  return { ephemeris, model };
}

/**
 * Re-screening of the manoeuvred orbit (issue 8: an option must never create a new
 * conjunction unnoticed): the manoeuvred trajectory (`manoeuvredEphemeris`) is handed to
 * conjunction-screening as an ephemeris primary and screened against the whole catalog from
 * the burn to TCA + `horizonH` in a sphere of `missFloorKm` + 1 km, without publishing
 * (`publish: false`: a what-if). Any approach under `missFloorKm` other than the event itself
 * (its secondary within 10 min of TCA, whose new miss is reported) rejects the option, naming
 * the object, its TCA and miss.
 */
export async function rescreen(c: Conjunction, o: PlannedOption, cfg: AvoidanceConfig, co: Collaborators): Promise<Check> {
  if (!cfg.rescreen.enabled) return { ok: true, detail: 're-screening disabled (config rescreen.enabled)' };
  if (!co.screener) return { ok: true, detail: 'not re-screened: conjunction-screening not running' };
  const built = await manoeuvredEphemeris(c, o, cfg, co);
  if ('reason' in built) return { ok: true, detail: `not re-screened: ${built.reason}` };
  const tcaMs = msOf(c.tcaUtc);
  const endUtc = built.ephemeris.points[built.ephemeris.points.length - 1].epoch;
  const radiusKm = cfg.missFloorKm + 1;
  const res = await co.screener.screen({
    primaries: [{ ephemeris: built.ephemeris }],
    startUtc: o.burnUtc,
    stopUtc: endUtc,
    volume: { shape: 'sphere', sizeRtnKm: [radiusKm, radiusKm, radiusKm] },
    publish: false,
  });
  const label = `eph:${c.primary.objectId}`;
  const notScreened = res.stats.skipped.find((s) => s.id === label && /not screened/.test(s.reason));
  if (notScreened) return { ok: true, detail: `not re-screened: ${notScreened.reason}` };
  const conflicts: string[] = [];
  let event = '';
  for (const c2 of res.conjunctions) {
    const name = `${c2.secondary.objectId}${c2.secondary.name ? ` (${c2.secondary.name})` : ''}`;
    if (c2.secondary.objectId === c.secondary.objectId && Math.abs(msOf(c2.tcaUtc) - tcaMs) < 600_000) {
      event = `; the event's own secondary ${name} at ${c2.tcaUtc}: ${c2.missDistanceKm.toFixed(3)} km`;
      continue;
    }
    if (c2.missDistanceKm < cfg.missFloorKm) conflicts.push(`${name} at ${c2.tcaUtc}: ${c2.missDistanceKm.toFixed(3)} km`);
  }
  const where = `${o.burnUtc} … ${endUtc} (${built.model})`;
  if (conflicts.length) return { ok: false, detail: `re-screened ${where}: new close approach(es) under ${cfg.missFloorKm} km: ${conflicts.join('; ')}` };
  const other = res.conjunctions.length - (event ? 1 : 0);
  return { ok: true, detail: `re-screened ${where} against the catalog: ${other} approach(es) within ${radiusKm.toFixed(2)} km, none under ${cfg.missFloorKm} km${event}` };
}

const J2_ONLY = { degree: 2, order: 0, sun: false, moon: false, drag: 'none', srp: false };

/**
 * Verification of the linear prediction with the numerical propagator (two-body + J2): the
 * primary is propagated from the TCA state back to 60 s before the burn, then forward to TCA
 * with and without the impulse; the difference of the two is the displacement the burn
 * causes, compared with Φ_rv·Δv within max(relTol·|d|, absTolKm). Same force model on both
 * arms, so J2's effect on the coasting orbit cancels and only its effect on the
 * displacement remains (a few 1e-3 relative per revolution for LEO).
 */
export async function verify(c: Conjunction, o: PlannedOption, cfg: AvoidanceConfig, propagator: Propagator | undefined): Promise<Check> {
  if (!cfg.verify.enabled) return { ok: true, detail: 'verification disabled (config verify.enabled)' };
  if (!propagator) return { ok: true, detail: 'not verified: numerical propagator not running' };
  const st = c.primary.stateAtTca!;
  const t0 = new Date(msOf(o.burnUtc) - 60_000).toISOString();
  const tca = new Date(msOf(c.tcaUtc)).toISOString();
  const back = await propagator.propagate({
    subjects: [{ id: 'coast', state: { epoch: { iso: tca, scale: 'UTC' }, frame: st.frame, posKm: st.posKm, velKmS: st.velKmS } }],
    times: { instantsUtc: [t0] },
    frame: st.frame,
    forceModel: J2_ONLY,
  });
  const b = back.outcomes[0];
  if (!b?.ok) return { ok: true, detail: `not verified: back-propagation failed (${b && !b.ok ? b.error.message : 'no outcome'})` };
  const state0 = { epoch: { iso: t0, scale: 'UTC' as const }, frame: st.frame, posKm: b.posKm[0], velKmS: b.velKmS[0] };
  const fwd = await propagator.propagate({
    subjects: [
      { id: 'coast', state: state0 },
      { id: 'burn', state: state0, maneuvers: [toManeuver(c, o)] },
    ],
    times: { instantsUtc: [tca] },
    frame: st.frame,
    forceModel: J2_ONLY,
  });
  const [co, bu] = fwd.outcomes;
  if (!co?.ok || !bu?.ok) return { ok: true, detail: 'not verified: forward propagation failed' };
  const dNum = sub(bu.posKm[0], co.posKm[0]);
  const dLin = displacementAtTca(o.geometry, o.dvRtnKmS).dPosKm;
  const errKm = norm(sub(dNum, dLin));
  const tolKm = Math.max(cfg.verify.relTol * norm(dLin), cfg.verify.absTolKm);
  const detail = `numerical (two-body + J2) displacement at TCA ${norm(dNum).toFixed(4)} km vs linear ${norm(dLin).toFixed(4)} km: difference ${(errKm * 1000).toFixed(1)} m (tolerance ${(tolKm * 1000).toFixed(1)} m)`;
  return { ok: errKm <= tolKm, detail };
}

/** Plans, then checks options in increasing Δv until one passes re-screening and verification. */
export async function planAndCheck(
  c: Conjunction,
  request: { pcTarget: number; maxDeltaVMS: number; earliestUtc: string; latestUtc: string; directions?: BurnDirection[] },
  cfg: AvoidanceConfig,
  co: Collaborators,
): Promise<CheckedPlan> {
  const plan = await planOptions(
    c,
    { earliestUtc: request.earliestUtc, latestUtc: request.latestUtc },
    {
      pcTarget: request.pcTarget,
      missFloorKm: cfg.missFloorKm,
      maxDeltaVMS: request.maxDeltaVMS,
      maxHalfRevolutions: cfg.maxHalfRevolutions,
      gridPoints: cfg.gridPoints,
      toleranceMS: cfg.toleranceMS,
      directions: request.directions ?? cfg.directions,
      defaultHardBodyRadiusM: cfg.defaultHardBodyRadiusM,
    },
    pcBatchOf(co.pc, cfg),
  );
  const checks: CheckedPlan['checks'] = [];
  let recommended = -1;
  for (let i = 0; i < plan.options.length && checks.length < cfg.rescreen.maxOptionsTried; i++) {
    const o = plan.options[i];
    const rs = await rescreen(c, o, cfg, co).catch((e: Error) => ({ ok: true, detail: `not re-screened: ${e.message}` }));
    const vf = rs.ok ? await verify(c, o, cfg, co.propagator).catch((e: Error) => ({ ok: true, detail: `not verified: ${e.message}` })) : { ok: false, detail: 'skipped (re-screening failed)' };
    checks.push({ option: o, rescreen: rs, verify: vf });
    if (rs.ok && vf.ok) {
      recommended = i;
      break;
    }
  }
  return { ...plan, recommended, checks };
}

/** The `avoidance` service: options with the recommended (checked) one first; rejected ones left out. */
export function plannerService(cfg: AvoidanceConfig, collaborators: () => Collaborators): AvoidanceManeuverPlanner {
  return {
    async options(req) {
      if (req.conjunction.id !== req.eventId) throw new Error(`avoidance.options: eventId '${req.eventId}' differs from conjunction.id '${req.conjunction.id}'`);
      if (!(req.pcTarget > 0 && req.pcTarget < 1)) throw new Error(`avoidance.options: pcTarget must be in (0, 1), got ${req.pcTarget}`);
      if (!(req.maxDeltaVMS > 0)) throw new Error(`avoidance.options: maxDeltaVMS must be positive m/s, got ${req.maxDeltaVMS}`);
      const co = collaborators();
      const plan = await planAndCheck(req.conjunction, req, cfg, co);
      const rejected = new Set(plan.checks.filter((k) => !(k.rescreen.ok && k.verify.ok)).map((k) => k.option));
      for (const k of plan.checks) co.log.info(`${req.eventId} ${toManeuver(req.conjunction, k.option).id}: ${k.rescreen.detail}; ${k.verify.detail}`);
      const ordered = plan.recommended >= 0 ? [plan.options[plan.recommended], ...plan.options.filter((_, i) => i !== plan.recommended)] : plan.options;
      return ordered
        .filter((o) => !rejected.has(o))
        .map((o) => ({ maneuver: toManeuver(req.conjunction, o), pcAfter: o.pcAfter, missDistanceAfterKm: o.missDistanceAfterKm, deltaVMS: o.deltaVMS }));
    },
  };
}
