import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Observation } from '../classify';
import { riskConfig } from '../config';
import { EventBook, type UpdateIdentity } from '../events';
import { fromCdm } from '../updates';

// Domain tests of the event book with an injected clock. Expected levels come from the
// default table (config.ts / README); expected trends from the ×2 Pc factor.

const H = 3_600_000;
const T0 = Date.parse('2026-05-07T00:00:00.000Z');
const TCA = new Date(T0 + 60 * H).toISOString(); // 2026-05-09T12:00:00.000Z
const CFG = riskConfig.parse({});

class Clock {
  constructor(public ms: number) {}
  now = () => this.ms;
}

const who = (id: string, a = '25544', b = '48274'): UpdateIdentity => ({ ids: [id], primary: a, secondary: b });
function o(ref: string, fields: Partial<Observation>, clock: Clock): Observation {
  return { source: 'screening', ref, receivedAtUtc: new Date(clock.ms).toISOString(), tcaUtc: TCA, missDistanceKm: 3, radialKm: 1, ...fields };
}

describe('risk-assessment event book', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'risk-book-'));
    file = path.join(dir, 'risk-journal.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('follows a rising event over three updates and alerts once per raised level', () => {
    const clock = new Clock(T0);
    const book = new EventBook(CFG, file, clock.now);
    const a = book.observe(who('E1'), o('s1', { pc: 2e-6 }, clock));
    clock.ms += H;
    const b = book.observe(who('E1'), o('s2', { pc: 2e-5 }, clock));
    clock.ms += H;
    const c = book.observe(who('E1'), o('s3', { pc: 2e-4 }, clock));
    clock.ms += H;
    const d = book.observe(who('E1'), o('s4', { pc: 2.5e-4 }, clock));
    expect([a, b, c, d].map((x) => [x.assessed.severity, x.assessed.trend, x.assessed.updates])).to.deep.equal([
      ['watch', 'new', 1],
      ['warning', 'rising', 2],
      ['critical', 'rising', 3],
      ['critical', 'stable', 4],
    ]);
    expect(a.alert).to.equal(undefined); // watch is below alertAtLeast (warning)
    expect(b.alert).to.deep.include({ id: 'risk:E1:1', severity: 'warning', dedupKey: 'risk:E1', raisedBy: 'risk-assessment' });
    expect(b.alert!.subject).to.deep.equal({ kind: 'conjunction', id: 'E1' });
    expect(c.alert).to.deep.include({ id: 'risk:E1:2', severity: 'critical' });
    expect(c.alert!.data).to.deep.include({ eventId: 'E1', pc: 2e-4, tcaUtc: TCA, trend: 'rising', color: 'red' });
    expect(d.alert, 'an unchanged level does not re-alert').to.equal(undefined);
    expect(d.decision.reasons).to.include('no new alert: level critical unchanged');
    book.close();
  });

  it('follows a falling event, keeps it on watch, and alerts again when it rises', () => {
    const clock = new Clock(T0);
    const book = new EventBook(CFG, file, clock.now);
    const seq = [5e-4, 5e-5, 1e-8, 4e-5].map((pc, i) => book.observe(who('E2'), o(`s${i}`, { pc }, clock)));
    expect(seq.map((x) => [x.assessed.severity, x.assessed.trend])).to.deep.equal([
      ['critical', 'new'],
      ['warning', 'falling'],
      ['watch', 'falling'], // green but followed since it was warning/critical
      ['warning', 'rising'],
    ]);
    expect(seq.map((x) => x.alert?.severity ?? null)).to.deep.equal(['critical', null, null, 'warning']);
    expect(seq[3].alert!.id).to.equal('risk:E2:2');
    expect(seq[2].decision.reasons).to.include('watch: followed since it was warning or critical');
    book.close();
  });

  it('joins updates of the same pair within the TCA tolerance, whatever their ids and order', () => {
    const clock = new Clock(T0);
    const book = new EventBook(CFG, file, clock.now);
    book.observe(who('SCREEN-1'), o('s1', { missDistanceKm: 4 }, clock));
    const shifted = new Date(Date.parse(TCA) + 299_000).toISOString();
    const cdm = fromCdm(
      {
        messageId: 'CDM-1',
        creationDateUtc: '2026-05-07T01:00:00Z',
        originator: 'CSPOC',
        tcaUtc: shifted,
        missDistanceM: 800,
        relativePositionRtnM: [150, 700, 300],
        object1: { objectId: '48274', noradId: 48274 },
        object2: { objectId: '25544', noradId: 25544 },
        warnings: [],
      },
      new Date(T0).toISOString(),
    );
    const joined = book.observe(cdm.who, cdm.obs);
    expect(joined.event.eventId).to.equal('SCREEN-1');
    expect(joined.assessed).to.include({ updates: 2, trend: 'rising', severity: 'warning', missDistanceKm: 0.8, tcaUtc: shifted });
    const apart = book.observe(who('SCREEN-2'), o('s3', { tcaUtc: new Date(Date.parse(shifted) + 301_000).toISOString() }, clock));
    expect(apart.event.eventId).to.equal('SCREEN-2');
    expect(apart.assessed.trend).to.equal('new');
    expect(book.size).to.equal(2);
    book.close();
  });

  it('escalates as TCA approaches (injected clock) and closes the event after TCA', () => {
    const clock = new Clock(Date.parse(TCA) - 80 * H);
    const book = new EventBook(CFG, file, clock.now);
    // miss 0.5 km, radial 0.1 km: watch until the 72 h window opens, then yellow, then critical at 24 h
    const first = book.observe(who('E3'), o('s1', { missDistanceKm: 0.5, radialKm: 0.1 }, clock));
    expect(first.assessed.severity).to.equal('watch');
    clock.ms = Date.parse(TCA) - 72 * H - 1;
    expect(book.reassess()).to.have.length(0);
    clock.ms = Date.parse(TCA) - 72 * H;
    const y = book.reassess();
    expect(y.map((x) => [x.decision.cause, x.assessed.severity, x.alert?.severity])).to.deep.equal([['time', 'warning', 'warning']]);
    clock.ms = Date.parse(TCA) - 30 * H;
    expect(book.reassess()).to.have.length(0);
    clock.ms = Date.parse(TCA) - 24 * H;
    const r = book.reassess();
    expect(r.map((x) => [x.assessed.severity, x.decision.previous, x.alert?.id])).to.deep.equal([['critical', 'warning', 'risk:E3:2']]);
    expect(r[0].decision.reasons).to.include('escalated warning → critical: TCA in 24.0 h ≤ 24.0 h');
    expect(r[0].assessed.trend).to.equal('new'); // time changes the level, not the trend of the updates
    clock.ms = Date.parse(TCA) + 1;
    const closed = book.reassess();
    expect(closed.map((x) => [x.assessed.severity, x.alert])).to.deep.equal([['info', undefined]]);
    expect(closed[0].decision.reasons[0]).to.match(/^TCA 2026-05-09T12:00:00.000Z passed/);
    book.close();
  });

  it('persists every decision with its reasons and reloads them after a restart', () => {
    const clock = new Clock(T0);
    const book = new EventBook(CFG, file, clock.now);
    book.observe(who('E4'), o('s1', { pc: 3e-5 }, clock));
    const ack = book.acknowledge('risk:E4:1', 'duty-officer', new Date(T0 + 1000).toISOString(), 'manoeuvre being prepared');
    expect(ack?.eventId).to.equal('E4');
    expect(book.acknowledge('risk:none:1', 'x', new Date(T0).toISOString())).to.equal(undefined);
    book.close();
    const size = fs.statSync(file).size;
    // a crash in the middle of a write leaves a cut last line: it is reported and ignored
    fs.appendFileSync(file, '{"t":"decision","decision":{"atU');

    clock.ms += H;
    const again = new EventBook(CFG, file, clock.now);
    const problems = again.load();
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/risk-journal\.jsonl:\d+: unterminated last line ignored/);
    expect(fs.statSync(file).size, 'the journal is rewritten without the cut line').to.be.lessThan(size + 10);
    const e = again.get('E4')!;
    expect(e.current.severity).to.equal('warning');
    expect(e.alerts[0].acknowledged).to.deep.equal({ byUser: 'duty-officer', atUtc: new Date(T0 + 1000).toISOString(), comment: 'manoeuvre being prepared' });
    const decisions = again.decisions('E4');
    expect(decisions.map((d) => d.cause)).to.deep.equal(['update', 'acknowledged']);
    expect(decisions[0].reasons[0]).to.equal('yellow: Pc 3.00e-5 ≥ 1.00e-5');
    expect(decisions[0].alertId).to.equal('risk:E4:1');
    // the next update continues the trend and the dedup of the event from before the restart
    const next = again.observe(who('E4'), o('s2', { pc: 3.5e-5 }, clock));
    expect(next.assessed).to.include({ trend: 'stable', updates: 2, severity: 'warning' });
    expect(next.alert).to.equal(undefined);
    again.close();
  });

  it('drops events older than the retention at start', () => {
    const clock = new Clock(T0);
    const book = new EventBook(CFG, file, clock.now);
    book.observe(who('OLD'), o('s1', { pc: 1e-3, tcaUtc: new Date(T0 + H).toISOString() }, clock));
    book.observe(who('NEW'), o('s2', { pc: 1e-3 }, clock));
    book.close();
    clock.ms = T0 + H + 30 * 86_400_000 + 1; // OLD's TCA is 30 days + 1 ms ago
    const later = new EventBook(CFG, file, clock.now);
    expect(later.load()).to.deep.equal([]);
    expect(later.all().map((e) => e.eventId)).to.deep.equal(['NEW']);
    expect(fs.readFileSync(file, 'utf8')).to.not.contain('"OLD"');
    later.close();
  });
});
