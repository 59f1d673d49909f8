import { expect } from 'chai';
import { classify, thresholdTable, trendBetween, type Observation } from '../classify';
import { riskConfig } from '../config';

// The thresholds are decisions, not measurements: the reference for these tests is the
// published table (NASA CARA: Pc > 1e-7 attention, > 1e-4 mitigation; issue 8: yellow at
// 1e-5 or miss ≤ 1 km with |radial| ≤ 200 m within 72 h; escalation 24 h before TCA).
// Each boundary is checked exactly on it (inclusive) and one step outside it; a step is
// one part in 1e9 for Pc and distances, one millisecond for time.

const NOW = Date.parse('2026-05-07T00:00:00.000Z');
const H = 3_600_000;
const tcaIn = (ms: number) => new Date(NOW + ms).toISOString();
const DEFAULTS = riskConfig.parse({});
const UP = 1 + 1e-9;
const DOWN = 1 - 1e-9;

function obs(o: Partial<Observation> & { inMs: number }): Observation {
  return { source: 'screening', ref: 'c1', receivedAtUtc: tcaIn(0), tcaUtc: tcaIn(o.inMs), missDistanceKm: o.missDistanceKm ?? 50, radialKm: 'radialKm' in o ? o.radialKm : 10, ...(o.pc !== undefined ? { pc: o.pc } : {}) };
}

describe('risk-assessment classification', () => {
  const far = 100 * H; // outside the 72 h window of the miss criterion, inside the 168 h watch window
  const table: { name: string; o: Observation; severity: string; color: string; followed?: boolean }[] = [
    { name: 'Pc = red threshold 1e-4', o: obs({ inMs: far, pc: 1e-4 }), severity: 'critical', color: 'red' },
    { name: 'Pc just below 1e-4', o: obs({ inMs: far, pc: 1e-4 * DOWN }), severity: 'warning', color: 'yellow' },
    { name: 'Pc = yellow threshold 1e-5', o: obs({ inMs: far, pc: 1e-5 }), severity: 'warning', color: 'yellow' },
    { name: 'Pc just below 1e-5', o: obs({ inMs: far, pc: 1e-5 * DOWN }), severity: 'watch', color: 'green' },
    { name: 'Pc = watch threshold 1e-7', o: obs({ inMs: far, pc: 1e-7 }), severity: 'watch', color: 'green' },
    { name: 'Pc just below 1e-7, miss 50 km', o: obs({ inMs: far, pc: 1e-7 * DOWN }), severity: 'info', color: 'green' },
    { name: 'no Pc, miss 1 km, radial 0.2 km, TCA in 72 h', o: obs({ inMs: 72 * H, missDistanceKm: 1, radialKm: 0.2 }), severity: 'warning', color: 'yellow' },
    { name: 'miss just above 1 km', o: obs({ inMs: 72 * H, missDistanceKm: 1 * UP, radialKm: 0.2 }), severity: 'watch', color: 'green' },
    { name: 'radial just above 0.2 km', o: obs({ inMs: 72 * H, missDistanceKm: 1, radialKm: 0.2 * UP }), severity: 'watch', color: 'green' },
    { name: 'radial −0.2 km (magnitude counts)', o: obs({ inMs: 72 * H, missDistanceKm: 1, radialKm: -0.2 }), severity: 'warning', color: 'yellow' },
    { name: 'TCA 72 h + 1 ms away', o: obs({ inMs: 72 * H + 1, missDistanceKm: 1, radialKm: 0.2 }), severity: 'watch', color: 'green' },
    { name: 'radial unknown counts as inside', o: obs({ inMs: 48 * H, missDistanceKm: 0.9, radialKm: undefined }), severity: 'warning', color: 'yellow' },
    { name: 'miss 5 km, TCA in 168 h', o: obs({ inMs: 168 * H, missDistanceKm: 5 }), severity: 'watch', color: 'green' },
    { name: 'miss just above 5 km', o: obs({ inMs: 168 * H, missDistanceKm: 5 * UP }), severity: 'info', color: 'green' },
    { name: 'miss 5 km, TCA 168 h + 1 ms away', o: obs({ inMs: 168 * H + 1, missDistanceKm: 5 }), severity: 'info', color: 'green' },
    { name: 'yellow Pc exactly 24 h before TCA escalates', o: obs({ inMs: 24 * H, pc: 2e-5 }), severity: 'critical', color: 'yellow' },
    { name: 'yellow Pc 24 h + 1 ms before TCA', o: obs({ inMs: 24 * H + 1, pc: 2e-5 }), severity: 'warning', color: 'yellow' },
    { name: 'yellow miss box inside 24 h escalates', o: obs({ inMs: 2 * H, missDistanceKm: 0.3, radialKm: 0.05 }), severity: 'critical', color: 'yellow' },
    { name: 'TCA passed 1 ms ago, Pc 1e-3', o: obs({ inMs: -1, pc: 1e-3 }), severity: 'info', color: 'green' },
    { name: 'TCA exactly now, Pc 1e-3', o: obs({ inMs: 0, pc: 1e-3 }), severity: 'critical', color: 'red' },
    { name: 'green, followed after a warning', o: obs({ inMs: far, pc: 1e-9 }), severity: 'watch', color: 'green', followed: true },
  ];
  for (const row of table) {
    it(`${row.name} → ${row.severity} (${row.color})`, () => {
      const c = classify(row.o, DEFAULTS, NOW, row.followed ?? false);
      expect(c.severity, c.reasons.join('; ')).to.equal(row.severity);
      expect(c.color).to.equal(row.color);
      expect(c.reasons.length).to.be.greaterThan(0);
    });
  }

  it('names the rule that decided in its reasons', () => {
    expect(classify(obs({ inMs: far, pc: 1.5e-4 }), DEFAULTS, NOW).reasons[0]).to.equal('red: Pc 1.50e-4 ≥ 1.00e-4');
    const r = classify(obs({ inMs: 10 * H, missDistanceKm: 0.5, radialKm: -0.1, pc: 3e-6 }), DEFAULTS, NOW).reasons;
    expect(r).to.deep.equal(['yellow: miss 0.500 km ≤ 1.000 km, |radial| 0.100 km ≤ 0.200 km, TCA in 10.0 h ≤ 72.0 h', 'escalated warning → critical: TCA in 10.0 h ≤ 24.0 h']);
  });

  it('follows the configured thresholds, not the defaults', () => {
    const cfg = riskConfig.parse({ red: { pcAtLeast: 1e-3 }, yellow: { pcAtLeast: 1e-4, missDistanceKmAtMost: 2 }, escalation: [], watch: { keepAfterWarning: false } });
    expect(classify(obs({ inMs: far, pc: 5e-4 }), cfg, NOW).severity).to.equal('warning');
    expect(classify(obs({ inMs: far, pc: 5e-5 }), cfg, NOW).severity).to.equal('watch');
    expect(classify(obs({ inMs: 2 * H, missDistanceKm: 1.5, radialKm: 0.1 }), cfg, NOW).severity).to.equal('warning');
    expect(classify(obs({ inMs: far, pc: 1e-9 }), cfg, NOW, true).severity).to.equal('info');
    const withWatchStep = riskConfig.parse({ escalation: [{ from: 'watch', to: 'warning', hoursToTcaAtMost: 6 }] });
    expect(classify(obs({ inMs: 6 * H, pc: 1e-6 }), withWatchStep, NOW).severity).to.equal('warning');
    expect(classify(obs({ inMs: 6 * H + 1, pc: 1e-6 }), withWatchStep, NOW).severity).to.equal('watch');
  });

  it('trend: Pc ratio against the factor (×2 default), else relative miss distance (10 %)', () => {
    const o = (pc: number | undefined, miss = 1) => ({ ...obs({ inMs: far, missDistanceKm: miss }), ...(pc !== undefined ? { pc } : {}) });
    expect(trendBetween(undefined, o(1e-5), DEFAULTS).trend).to.equal('new');
    expect(trendBetween(o(1e-5), o(2e-5), DEFAULTS).trend).to.equal('rising');
    expect(trendBetween(o(1e-5), o(1.99e-5), DEFAULTS).trend).to.equal('stable');
    expect(trendBetween(o(1e-5), o(0.5e-5), DEFAULTS).trend).to.equal('falling');
    expect(trendBetween(o(1e-5), o(0.51e-5), DEFAULTS).trend).to.equal('stable');
    expect(trendBetween(o(0), o(1e-9), DEFAULTS).trend).to.equal('rising');
    // one without Pc: the miss distance decides (closer = rising)
    expect(trendBetween(o(undefined, 1), o(1e-5, 0.85), DEFAULTS).trend).to.equal('rising');
    expect(trendBetween(o(undefined, 1), o(undefined, 0.91), DEFAULTS).trend).to.equal('stable');
    expect(trendBetween(o(undefined, 1), o(undefined, 1.15), DEFAULTS).trend).to.equal('falling');
  });

  it('publishes its thresholds with inclusive bounds', () => {
    const t = thresholdTable(DEFAULTS);
    expect(t.filter((r) => r.pcAtLeast !== undefined).map((r) => [r.severity, r.pcAtLeast])).to.deep.equal([
      ['critical', 1e-4],
      ['warning', 1e-5],
      ['watch', 1e-7],
    ]);
    expect(t).to.deep.include({ severity: 'warning', missDistanceKmAtMost: 1, radialKmAtMost: 0.2, hoursToTcaAtMost: 72, rule: 'yellow: miss distance and radial component near TCA (unknown radial counts as inside)' });
    expect(t).to.deep.include({ severity: 'critical', escalatesFrom: 'warning', hoursToTcaAtMost: 24, rule: 'escalation warning → critical as TCA approaches' });
  });

  it('refuses a TCA that is not a date, naming it', () => {
    expect(() => classify({ ...obs({ inMs: 0 }), tcaUtc: 'tomorrow' }, DEFAULTS, NOW)).to.throw("TCA 'tomorrow' is not a UTC date-time");
  });
});
