import type { Conjunction } from '../../interfaces/domain/conjunction';
import type { Maneuver } from '../../interfaces/domain/maneuver';
import type { AvoidanceManeuverPlanner, CollisionProbability, ConjunctionScreener, PcInput } from '../../interfaces/services/collision';
import type { Propagator } from '../../interfaces/services/propagation';
import { propagateTwoBody } from '../../sdk/astro/twobody';
import { add, norm, sub } from '../../sdk/astro/vec';
import type { AvoidanceConfig } from './config';
import { type BurnDirection, burnGeometry, displacementAtTca, encounterMissKm } from './linear';
import { type PcBatch, type PlannedOption, type PlanResult, planOptions, statesOf } from './planner';

/** The services this module uses when they run (all optional but Pc, see README). */
export interface Collaborators {
  pc?: CollisionProbability;
  propagator?: Propagator;
  screener?: ConjunctionScreener;
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
 * Re-screening of the manoeuvred orbit. conjunction-screening screens catalog primaries by
 * NORAD id (ephemeris primaries are skipped until the ephemeris module feeds it), so it cannot
 * screen the manoeuvred state directly. What it offers is used instead: the primary's approaches
 * over [burn, TCA + horizon] within an enlarged sphere (floor + the largest linear displacement
 * the burn causes over the span), each moved by the linear displacement of the burn at its own
 * TCA (two-body STM) and its encounter-plane miss recomputed. An object farther than that sphere
 * on the un-manoeuvred orbit cannot come under the floor (to first order).
 */
export async function rescreen(c: Conjunction, o: PlannedOption, cfg: AvoidanceConfig, screener: ConjunctionScreener | undefined): Promise<Check> {
  if (!cfg.rescreen.enabled) return { ok: true, detail: 're-screening disabled (config rescreen.enabled)' };
  if (!screener) return { ok: true, detail: 'not re-screened: conjunction-screening not running' };
  if (c.primary.noradId === undefined) return { ok: true, detail: `not re-screened: primary '${c.primary.objectId}' has no NORAD id (the screener screens catalog primaries only)` };
  const { p } = statesOf(c);
  const tcaMs = msOf(c.tcaUtc);
  const endMs = tcaMs + cfg.rescreen.horizonH * 3_600_000;
  const burnMs = msOf(o.burnUtc);
  // Largest displacement over the span: along-track drift grows with time, so take it at the end.
  const atEnd = propagateTwoBody(p.posKm, p.velKmS, (endMs - tcaMs) / 1000);
  const gEnd = burnGeometry(atEnd.posKm, atEnd.velKmS, (endMs - burnMs) / 1000);
  const marginKm = norm(displacementAtTca(gEnd, o.dvRtnKmS).dPosKm);
  const radiusKm = cfg.missFloorKm + marginKm + 1;
  const res = await screener.screen({
    primaries: [{ noradId: c.primary.noradId }],
    startUtc: o.burnUtc,
    stopUtc: new Date(endMs).toISOString(),
    volume: { shape: 'sphere', sizeRtnKm: [radiusKm, radiusKm, radiusKm] },
    missDistanceKm: radiusKm,
  });
  const conflicts: string[] = [];
  let checked = 0;
  for (const c2 of res.conjunctions) {
    if (c2.id === c.id || (c2.secondary.objectId === c.secondary.objectId && Math.abs(msOf(c2.tcaUtc) - tcaMs) < 600_000)) continue;
    const leadS = (msOf(c2.tcaUtc) - burnMs) / 1000;
    if (leadS <= 0 || !c2.primary.stateAtTca || !c2.secondary.stateAtTca) continue;
    const pp = c2.primary.stateAtTca;
    const ss = c2.secondary.stateAtTca;
    const d = displacementAtTca(burnGeometry(pp.posKm, pp.velKmS, leadS), o.dvRtnKmS);
    const missKm = encounterMissKm(sub(ss.posKm, add(pp.posKm, d.dPosKm)), sub(ss.velKmS, add(pp.velKmS, d.dVelKmS)));
    checked++;
    if (missKm < cfg.missFloorKm) conflicts.push(`${c2.secondary.objectId} at ${c2.tcaUtc}: ${missKm.toFixed(3)} km after the burn (was ${c2.missDistanceKm.toFixed(3)} km)`);
  }
  const skipped = res.stats.skipped.length ? `; screener skipped ${res.stats.skipped.map((s) => `${s.id} (${s.reason})`).join(', ')}` : '';
  if (conflicts.length) return { ok: false, detail: `new close approach(es) under ${cfg.missFloorKm} km: ${conflicts.join('; ')}` };
  return { ok: true, detail: `re-screened ${o.burnUtc} … +${cfg.rescreen.horizonH} h within ${radiusKm.toFixed(2)} km: ${checked} other approach(es), none under ${cfg.missFloorKm} km${skipped}` };
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
    const rs = await rescreen(c, o, cfg, co.screener).catch((e: Error) => ({ ok: true, detail: `not re-screened: ${e.message}` }));
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
