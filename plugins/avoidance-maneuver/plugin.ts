import { definePlugin, type HealthReport, type PluginContext } from '../../sdk';
import { CdmIssued, ConjunctionDetected, ManeuverPlanned, RiskAssessed } from '../../interfaces/topics';
import { AvoidanceManeuverPlannerToken, CollisionProbabilityToken, ConjunctionScreenerToken } from '../../interfaces/services/collision';
import { NumericalPropagatorToken, Sgp4PropagatorToken } from '../../interfaces/services/propagation';
import { CatalogToken } from '../../interfaces/services/acquisition';
import type { Conjunction } from '../../interfaces/domain/conjunction';
import { avoidanceConfig, type AvoidanceConfig } from './config';
import { type Collaborators, planAndCheck, plannerService, toManeuver } from './service';

type Ctx = PluginContext<AvoidanceConfig>;

interface State {
  /** Latest conjunction per event id (from conjunction.detected). */
  conjunctions: Map<string, Conjunction>;
  /** Critical events waiting for their conjunction. */
  pending: Set<string>;
  /** Event id → detectedAtUtc of the conjunction last planned (one plan per update). */
  planned: Map<string, string>;
  last?: string;
  failures: number;
}
let state: State | undefined;

const collaborators = (ctx: Ctx): Collaborators => ({
  pc: ctx.services.tryGet(CollisionProbabilityToken),
  propagator: ctx.services.tryGet(NumericalPropagatorToken),
  screener: ctx.services.tryGet(ConjunctionScreenerToken),
  catalog: ctx.services.tryGet(CatalogToken),
  sgp4: ctx.services.tryGet(Sgp4PropagatorToken),
  log: ctx.log,
});

async function autoPlan(ctx: Ctx, s: State, eventId: string): Promise<void> {
  const c = s.conjunctions.get(eventId);
  if (!c) {
    s.pending.add(eventId);
    ctx.log.info(`${eventId}: critical, waiting for its conjunction (conjunction.detected) to plan`);
    return;
  }
  if (!c.primary.covarianceRtnM || !c.secondary.covarianceRtnM) {
    // Screening events carry no covariance: the CDM issued for the event completes them.
    s.pending.add(eventId);
    ctx.log.info(`${eventId}: critical, waiting for the covariances of its CDM (cdm.issued) to plan`);
    return;
  }
  s.pending.delete(eventId);
  if (s.planned.get(eventId) === c.detectedAtUtc) return;
  s.planned.set(eventId, c.detectedAtUtc);
  const cfg = ctx.config;
  const tcaMs = Date.parse(c.tcaUtc.endsWith('Z') ? c.tcaUtc : `${c.tcaUtc}Z`);
  const earliestUtc = new Date(Date.now() + cfg.earliestFromNowH * 3_600_000).toISOString();
  const latestUtc = new Date(tcaMs - cfg.latestBeforeTcaMin * 60_000).toISOString();
  try {
    const plan = await planAndCheck(c, { pcTarget: cfg.pcTarget, maxDeltaVMS: cfg.maxDeltaVMS, earliestUtc, latestUtc }, cfg, collaborators(ctx));
    for (const k of plan.checks) ctx.log.info(`${eventId} ${toManeuver(c, k.option).id}: ${k.rescreen.detail}; ${k.verify.detail}`);
    for (const n of plan.notes) ctx.log.info(`${eventId}: ${n}`);
    if (plan.recommended < 0) {
      s.last = `${eventId}: no acceptable option (${plan.options.length} found, ${plan.checks.length} checked)`;
      ctx.log.warn(s.last);
      return;
    }
    const o = plan.options[plan.recommended];
    const m = toManeuver(c, o);
    s.last = `${eventId}: ${m.id} |Δv| ${o.deltaVMS.toFixed(4)} m/s at ${o.burnUtc}, Pc ${plan.pcBefore.toExponential(2)} → ${o.pcAfter.toExponential(2)}, miss ${plan.missBeforeKm.toFixed(3)} → ${o.missDistanceAfterKm.toFixed(3)} km`;
    ctx.log.warn(`proposed ${s.last}`);
    ctx.publish(ManeuverPlanned, m);
  } catch (err) {
    s.failures++;
    s.last = `${eventId}: planning failed: ${(err as Error).message}`;
    ctx.log.warn(s.last);
  }
}

function health(): HealthReport {
  if (!state) return { status: 'failed', detail: 'not started' };
  const metrics = { conjunctions: state.conjunctions.size, planned: state.planned.size, pending: state.pending.size, failures: state.failures };
  const detail = `${state.planned.size} event(s) planned, ${state.pending.size} waiting for their conjunction${state.last ? `; last: ${state.last}` : ''}`;
  return { status: state.failures ? 'degraded' : 'ok', detail, metrics };
}

export default definePlugin({
  name: 'avoidance-maneuver',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Collision avoidance options (radial/along-track Δv at half-revolution lead times, linear two-body STM), smallest Δv meeting Pc and miss targets, re-screened and verified',
  config: avoidanceConfig,
  provides: [AvoidanceManeuverPlannerToken],
  requires: [
    { token: CollisionProbabilityToken, optional: true },
    { token: NumericalPropagatorToken, optional: true },
    { token: ConjunctionScreenerToken, optional: true },
    { token: CatalogToken, optional: true },
    { token: Sgp4PropagatorToken, optional: true },
  ],
  publishes: [ManeuverPlanned],
  subscribes: [ConjunctionDetected, CdmIssued, RiskAssessed],
  start(ctx) {
    const s: State = { conjunctions: new Map(), pending: new Set(), planned: new Map(), failures: 0 };
    state = s;
    ctx.subscribe(ConjunctionDetected, async (c) => {
      s.conjunctions.set(c.id, c);
      if (s.pending.has(c.id)) await autoPlan(ctx, s, c.id);
    });
    // Screening gives the geometry; the CDM issued for the event gives the covariances (the
    // objects' own, or the cdm module's default model for TLE-only objects) and hard-body
    // radii. Complete the conjunction with what it lacks, object1 being the primary.
    ctx.subscribe(CdmIssued, async (r) => {
      const c = r.eventId ? s.conjunctions.get(r.eventId) : undefined;
      if (!c) return;
      const fill = (o: Conjunction['primary'], from: Conjunction['primary']): Conjunction['primary'] => ({
        ...o,
        ...(o.covarianceRtnM === undefined && from.covarianceRtnM !== undefined ? { covarianceRtnM: from.covarianceRtnM } : {}),
        ...(o.hardBodyRadiusM === undefined && from.hardBodyRadiusM !== undefined ? { hardBodyRadiusM: from.hardBodyRadiusM } : {}),
      });
      s.conjunctions.set(c.id, { ...c, primary: fill(c.primary, r.object1), secondary: fill(c.secondary, r.object2) });
      if (s.pending.has(c.id)) await autoPlan(ctx, s, c.id);
    });
    ctx.subscribe(RiskAssessed, async (r) => {
      if (r.severity === 'critical') await autoPlan(ctx, s, r.eventId);
    });
    ctx.provide(AvoidanceManeuverPlannerToken, plannerService(ctx.config, () => collaborators(ctx)));
  },
  stop() {
    state = undefined;
  },
  health,
});
