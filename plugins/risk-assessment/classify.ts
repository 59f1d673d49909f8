import { ALERT_SEVERITIES, type AlertSeverity } from '../../interfaces/domain/alert';
import type { RiskConfig } from './config';

/**
 * Classification of one conjunction event: pure functions of the latest observation, the
 * event's history and the time now (injected, so escalation as TCA approaches is testable).
 *
 * Colour scale (NASA CARA practice, see config.ts): red = mitigation required, yellow =
 * prepare and call the hotline, green = no action. Mapping to the project's alert scale:
 * red → 'critical', yellow → 'warning', green → 'watch' when the event is being followed,
 * 'info' otherwise (and once TCA has passed).
 */

export type Color = 'red' | 'yellow' | 'green';
export type Trend = 'new' | 'rising' | 'stable' | 'falling';

/** What one update (screening, CDM) says about the event. */
export interface Observation {
  source: 'screening' | 'cdm' | 'operator';
  /** Conjunction id or CDM message id. */
  ref: string;
  receivedAtUtc: string;
  tcaUtc: string;
  missDistanceKm: number;
  /** Radial component of the relative position (primary RTN), km; undefined when unknown. */
  radialKm?: number;
  pc?: number;
  /** Where the Pc comes from: 'message' or 'computed:<method>'. */
  pcSource?: string;
}

export interface Classification {
  color: Color;
  severity: AlertSeverity;
  reasons: string[];
  hoursToTca: number;
}

export const severityRank = (s: AlertSeverity): number => ALERT_SEVERITIES.indexOf(s);
export const maxSeverity = (a: AlertSeverity, b: AlertSeverity): AlertSeverity => (severityRank(a) >= severityRank(b) ? a : b);

const fmtPc = (pc: number) => pc.toExponential(2);
const fmtKm = (km: number) => `${km.toFixed(3)} km`;
const fmtH = (h: number) => `${h.toFixed(1)} h`;

/** Hours from `nowMs` to the TCA (negative once it has passed). */
export function hoursToTca(tcaUtc: string, nowMs: number): number {
  const t = Date.parse(tcaUtc.endsWith('Z') ? tcaUtc : tcaUtc + 'Z');
  if (!Number.isFinite(t)) throw new Error(`risk-assessment: TCA '${tcaUtc}' is not a UTC date-time`);
  return (t - nowMs) / 3_600_000;
}

/**
 * Classifies an observation at time `nowMs`. `followed` says the event was warning or
 * critical before (it then stays at least 'watch' when `watch.keepAfterWarning`).
 * Comparisons are inclusive (Pc ≥, miss ≤, radial ≤, hours ≤), matching the names of
 * the thresholds published by the RiskAssessment service.
 */
export function classify(obs: Observation, cfg: RiskConfig, nowMs: number, followed = false): Classification {
  const h = hoursToTca(obs.tcaUtc, nowMs);
  const reasons: string[] = [];
  if (h < 0) {
    return { color: 'green', severity: 'info', hoursToTca: h, reasons: [`TCA ${obs.tcaUtc} passed ${fmtH(-h)} ago`] };
  }
  const pc = obs.pc;
  let color: Color = 'green';
  if (pc !== undefined && pc >= cfg.red.pcAtLeast) {
    color = 'red';
    reasons.push(`red: Pc ${fmtPc(pc)} ≥ ${fmtPc(cfg.red.pcAtLeast)}`);
  } else {
    if (pc !== undefined && pc >= cfg.yellow.pcAtLeast) {
      color = 'yellow';
      reasons.push(`yellow: Pc ${fmtPc(pc)} ≥ ${fmtPc(cfg.yellow.pcAtLeast)}`);
    }
    const y = cfg.yellow;
    const radialIn = obs.radialKm === undefined || Math.abs(obs.radialKm) <= y.radialKmAtMost;
    if (h <= y.withinHoursOfTca && obs.missDistanceKm <= y.missDistanceKmAtMost && radialIn) {
      color = 'yellow';
      const radial = obs.radialKm === undefined ? 'radial unknown (counted as inside)' : `|radial| ${fmtKm(Math.abs(obs.radialKm))} ≤ ${fmtKm(y.radialKmAtMost)}`;
      reasons.push(`yellow: miss ${fmtKm(obs.missDistanceKm)} ≤ ${fmtKm(y.missDistanceKmAtMost)}, ${radial}, TCA in ${fmtH(h)} ≤ ${fmtH(y.withinHoursOfTca)}`);
    }
  }
  let severity: AlertSeverity = color === 'red' ? 'critical' : color === 'yellow' ? 'warning' : 'info';
  if (color === 'green') {
    const w = cfg.watch;
    if (pc !== undefined && pc >= w.pcAtLeast) reasons.push(`watch: Pc ${fmtPc(pc)} ≥ ${fmtPc(w.pcAtLeast)}`);
    if (obs.missDistanceKm <= w.missDistanceKmAtMost && h <= w.withinHoursOfTca) {
      reasons.push(`watch: miss ${fmtKm(obs.missDistanceKm)} ≤ ${fmtKm(w.missDistanceKmAtMost)}, TCA in ${fmtH(h)} ≤ ${fmtH(w.withinHoursOfTca)}`);
    }
    if (followed && w.keepAfterWarning) reasons.push('watch: followed since it was warning or critical');
    if (reasons.length) severity = 'watch';
    else reasons.push(`green: ${pc === undefined ? 'no Pc' : `Pc ${fmtPc(pc)} < ${fmtPc(w.pcAtLeast)}`}, miss ${fmtKm(obs.missDistanceKm)}, TCA in ${fmtH(h)}`);
  }
  for (const rule of cfg.escalation) {
    if (severity === rule.from && h <= rule.hoursToTcaAtMost && severityRank(rule.to) > severityRank(severity)) {
      reasons.push(`escalated ${rule.from} → ${rule.to}: TCA in ${fmtH(h)} ≤ ${fmtH(rule.hoursToTcaAtMost)}`);
      severity = rule.to;
    }
  }
  return { color, severity, reasons, hoursToTca: h };
}

/**
 * Trend from the previous observation to the latest: Pc ratio when both have a Pc, else
 * the relative change of the miss distance (closer = rising). Factors from `cfg.trend`.
 */
export function trendBetween(prev: Observation | undefined, next: Observation, cfg: RiskConfig): { trend: Trend; reason: string } {
  if (!prev) return { trend: 'new', reason: 'first update of the event' };
  const t = cfg.trend;
  if (prev.pc !== undefined && next.pc !== undefined) {
    const what = `Pc ${fmtPc(prev.pc)} → ${fmtPc(next.pc)}`;
    if (prev.pc === 0) return next.pc > 0 ? { trend: 'rising', reason: `${what} (from zero)` } : { trend: 'stable', reason: what };
    const ratio = next.pc / prev.pc;
    if (ratio >= t.pcFactor) return { trend: 'rising', reason: `${what} (×${ratio.toPrecision(3)} ≥ ×${t.pcFactor})` };
    if (ratio <= 1 / t.pcFactor) return { trend: 'falling', reason: `${what} (÷${(1 / ratio).toPrecision(3)} ≥ ÷${t.pcFactor})` };
    return { trend: 'stable', reason: `${what} (within ×/÷${t.pcFactor})` };
  }
  const what = `miss ${fmtKm(prev.missDistanceKm)} → ${fmtKm(next.missDistanceKm)}`;
  if (prev.missDistanceKm === 0) return next.missDistanceKm > 0 ? { trend: 'falling', reason: what } : { trend: 'stable', reason: what };
  const change = (next.missDistanceKm - prev.missDistanceKm) / prev.missDistanceKm;
  if (change <= -t.missFraction) return { trend: 'rising', reason: `${what} (${(change * 100).toFixed(1)} %)` };
  if (change >= t.missFraction) return { trend: 'falling', reason: `${what} (+${(change * 100).toFixed(1)} %)` };
  return { trend: 'stable', reason: `${what} (within ±${t.missFraction * 100} %)` };
}

/** The thresholds as the RiskAssessment service publishes them. */
export function thresholdTable(cfg: RiskConfig): {
  severity: AlertSeverity;
  pcAtLeast?: number;
  missDistanceKmAtMost?: number;
  radialKmAtMost?: number;
  hoursToTcaAtMost?: number;
  escalatesFrom?: AlertSeverity;
  rule?: string;
}[] {
  return [
    { severity: 'critical', pcAtLeast: cfg.red.pcAtLeast, rule: 'red: Pc' },
    { severity: 'warning', pcAtLeast: cfg.yellow.pcAtLeast, rule: 'yellow: Pc' },
    {
      severity: 'warning',
      missDistanceKmAtMost: cfg.yellow.missDistanceKmAtMost,
      radialKmAtMost: cfg.yellow.radialKmAtMost,
      hoursToTcaAtMost: cfg.yellow.withinHoursOfTca,
      rule: 'yellow: miss distance and radial component near TCA (unknown radial counts as inside)',
    },
    { severity: 'watch', pcAtLeast: cfg.watch.pcAtLeast, rule: 'watch: Pc' },
    { severity: 'watch', missDistanceKmAtMost: cfg.watch.missDistanceKmAtMost, hoursToTcaAtMost: cfg.watch.withinHoursOfTca, rule: 'watch: miss distance' },
    ...cfg.escalation.map((e) => ({ severity: e.to, escalatesFrom: e.from, hoursToTcaAtMost: e.hoursToTcaAtMost, rule: `escalation ${e.from} → ${e.to} as TCA approaches` })),
  ];
}
