import { expect } from 'chai';
import { readReferenceText } from '../../../sdk/reference-data';
import { parseCssiSpaceWeatherCsv, parseCssiSpaceWeatherText, parseSpaceWeather, SpaceWeatherFormatError, type ParsedSpaceWeather } from '../parse';
import { AP_OF_KP_THIRDS, kpFromAp, SpaceWeatherTable } from '../table';

const TXT = 'space-weather/celestrak-SW-All-2026-08-22.txt';
const CSV = 'space-weather/celestrak-SW-All-2025-05-07.csv';

// Expected values below are copied from the rows of the files themselves (quoted in the comments);
// the file values have 0.1 sfu resolution, so exact equality is the right tolerance for
// values read back, and 1e-9 for values computed from them.
describe('space-weather parsers on the CelesTrak files', function () {
  this.timeout(20_000);
  let txt: ParsedSpaceWeather;
  let csv: ParsedSpaceWeather;
  before(() => {
    txt = parseSpaceWeather(readReferenceText(TXT), TXT);
    csv = parseSpaceWeather(readReferenceText(CSV), CSV);
  });

  it('reads the fixed-field SW-All.txt sections with the counts its header declares', () => {
    expect(txt.format).to.equal('cssi-text');
    expect(txt.updated).to.equal('2026 Aug 22 02:32:10 UTC');
    expect(txt.warnings).to.deep.equal([]); // NUM_*_POINTS 25162 / 45 / 180 all match
    expect(txt.daily.filter((d) => d.kind === 'observed' || d.kind === 'interpolated')).to.have.length(25162);
    expect(txt.daily.filter((d) => d.kind === 'daily-predicted')).to.have.length(45);
    expect(txt.monthly).to.have.length(180);
    expect(txt.daily[0].dateUtc).to.equal('1957-10-01');
    expect(txt.monthly[179].dateUtc).to.equal('2041-10-01');
  });

  it('first observed row: 1957 10 01 … 43 40 30 20 37 23 43 37 273  32  27  15   7  22   9  32  22  21 … 269.8 0 266.8 235.5 269.3 266.6 230.9', () => {
    const d = txt.daily[0];
    expect(d.kind).to.equal('observed');
    expect(d.kp3h).to.deep.equal([4.3, 4.0, 3.0, 2.0, 3.7, 2.3, 4.3, 3.7]);
    expect(d.ap3h).to.deep.equal([32, 27, 15, 7, 22, 9, 32, 22]);
    expect(d.apDaily).to.equal(21);
    // first F10.7 group is adjusted to 1 AU, the second observed (header 'Adj Adj Adj Obs Obs Obs')
    expect([d.f107AdjSfu, d.f107AdjCenter81Sfu, d.f107AdjLast81Sfu]).to.deep.equal([269.8, 266.8, 235.5]);
    expect([d.f107ObsSfu, d.f107ObsCenter81Sfu, d.f107ObsLast81Sfu]).to.deep.equal([269.3, 266.6, 230.9]);
  });

  it('flux qualifier 4 is an interpolated day (1957 12 25 … 357.1 4 …), as the CSV marks it INT', () => {
    const t = txt.daily.find((d) => d.dateUtc === '1957-12-25')!;
    const c = csv.daily.find((d) => d.dateUtc === '1957-12-25')!;
    expect(t.kind).to.equal('interpolated');
    expect(c.kind).to.equal('interpolated');
    expect(t.f107ObsSfu).to.equal(369.2);
  });

  it('last observed and daily-predicted rows (2026 08 21, 2026 09 13) and a monthly point (2026 11 01)', () => {
    const last = txt.daily.find((d) => d.dateUtc === '2026-08-21')!;
    expect(last.kind).to.equal('observed');
    expect(last.ap3h).to.deep.equal([15, 9, 5, 4, 6, 3, 4, 6]);
    expect([last.f107ObsSfu, last.f107AdjSfu, last.f107ObsCenter81Sfu]).to.deep.equal([125.6, 128.5, 115.1]);
    const pred = txt.daily.find((d) => d.dateUtc === '2026-09-13')!;
    expect(pred.kind).to.equal('daily-predicted');
    expect([pred.f107AdjSfu, pred.f107ObsSfu, pred.apDaily]).to.deep.equal([130.0, 128.4, 5]);
    const month = txt.monthly[0]; // 2026 11 01 2635  7 …  83 119.3   116.8 114.3 121.1 118.4 113.5
    expect(month.dateUtc).to.equal('2026-11-01');
    expect(month.kp3h).to.equal(undefined);
    expect([month.f107AdjSfu, month.f107AdjCenter81Sfu, month.f107ObsSfu, month.f107ObsCenter81Sfu]).to.deep.equal([119.3, 116.8, 121.1, 118.4]);
  });

  it('reads the CSV form: OBS/INT/PRD rows daily, PRM rows monthly', () => {
    expect(csv.format).to.equal('cssi-csv');
    // 2025-05-07,2615,4,23,27,23,20,13,7,10,20,143,9,12,9,7,5,3,4,7,7,0.4,2,83,154.2,157,OBS,157.4,166.5,159.9,165.9
    const d = csv.daily.find((r) => r.dateUtc === '2025-05-07')!;
    expect(d.kind).to.equal('observed');
    expect(d.ap3h).to.deep.equal([9, 12, 9, 7, 5, 3, 4, 7]);
    expect([d.f107ObsSfu, d.f107AdjSfu, d.f107ObsCenter81Sfu, d.f107ObsLast81Sfu, d.f107AdjCenter81Sfu]).to.deep.equal([154.2, 157, 157.4, 166.5, 159.9]);
    expect(csv.daily[csv.daily.length - 1].kind).to.equal('daily-predicted');
    // 2025-07-01,2617,5,,,,,,,,,,10,10,10,10,10,10,10,10,10,,,141,171.1,176.9,PRM,164.6,157.5,169.7,161.1
    expect(csv.monthly[0].dateUtc).to.equal('2025-07-01');
    expect(csv.monthly[0].apDaily).to.equal(10);
    expect(csv.monthly[0].f107ObsSfu).to.equal(171.1);
    expect(csv.monthly[csv.monthly.length - 1].dateUtc).to.equal('2041-10-01');
  });

  it('the text (2026) and CSV (2025) tables agree on every day whose values were final in both', () => {
    // Observed values are final except the centred 81-day means of the last 40 days (they use
    // predictions); compare every observed day up to 41 days before the CSV's last observed day.
    const csvLastObs = [...csv.daily].reverse().find((d) => d.kind === 'observed')!.mjd;
    const byMjd = new Map(txt.daily.map((d) => [d.mjd, d]));
    let compared = 0;
    const differences: string[] = [];
    const key = (d: (typeof csv.daily)[number]) => JSON.stringify([d.f107ObsSfu, d.f107AdjSfu, d.f107ObsCenter81Sfu, d.apDaily, d.ap3h, d.kind]);
    for (const c of csv.daily) {
      if (c.mjd > csvLastObs - 41) break;
      const t = byMjd.get(c.mjd)!;
      if (key(t) !== key(c)) differences.push(`${c.dateUtc}: ${key(t)} ≠ ${key(c)}`);
      compared++;
    }
    expect(differences).to.deep.equal([]);
    expect(compared).to.be.greaterThan(24_000);
  });

  it('every observed 3-hour ap is the Bartels conversion of its Kp (checks the table and the Kp tenths)', () => {
    let n = 0;
    const differences: string[] = [];
    for (const d of txt.daily) {
      if (d.kind === 'daily-predicted') continue;
      for (let i = 0; i < 8; i++, n++) {
        if (AP_OF_KP_THIRDS[Math.round(d.kp3h![i] * 3)] !== d.ap3h![i]) differences.push(`${d.dateUtc} #${i + 1}: Kp ${d.kp3h![i]} ap ${d.ap3h![i]}`);
      }
    }
    expect(differences).to.deep.equal([]);
    expect(n).to.equal(25162 * 8);
    expect(kpFromAp(15)).to.be.closeTo(3, 1e-12);
    expect(kpFromAp(400)).to.equal(9);
  });

  it('tolerates the Orekit reduced test file (repeated identical row, declared count ≠ rows) with warnings', () => {
    const p = parseSpaceWeather(readReferenceText('space-weather/orekit/SpaceWeather-All-v1.2_reduced.txt'), 'reduced');
    expect(p.daily.map((d) => d.dateUtc)).to.deep.equal(['2020-02-19', '2020-02-20', '2020-02-21', '2020-02-22']);
    expect(p.warnings.join('\n')).to.match(/reduced:23: 2020-02-21 repeats line 22/).and.match(/NUM_OBSERVED_POINTS says 22790 but the section holds 5 rows/);
  });
});

describe('space-weather parsers: malformed files name the file, the line and the reason', () => {
  const text = readReferenceText('space-weather/orekit/SpaceWeather-All-v1.2_reduced.txt');
  const lines = text.split('\n');
  const broken = (edit: (l: string[]) => void) => {
    const l = [...lines];
    edit(l);
    return l.join('\n');
  };
  const expectError = (fn: () => unknown, re: RegExp) => {
    try {
      fn();
    } catch (err) {
      expect(err).to.be.instanceOf(SpaceWeatherFormatError);
      expect((err as Error).message).to.match(re);
      return;
    }
    expect.fail('no error');
  };

  it('a letter in a number column', () => {
    expectError(() => parseCssiSpaceWeatherText(broken((l) => (l[19] = l[19].replace(' 71.0 0', ' 7x.0 0'))), 'f.txt'), /^f\.txt:20: column 93-98 \(f107Adj\) '7x\.0' is not a number/);
  });
  it('a missing END', () => {
    expectError(() => parseCssiSpaceWeatherText(broken((l) => l.splice(l.indexOf('END OBSERVED'), 1)), 'f.txt'), /section OBSERVED opened at line 19 has no END OBSERVED/);
  });
  it('a gap between days', () => {
    expectError(() => parseCssiSpaceWeatherText(broken((l) => l.splice(20, 1)), 'f.txt'), /^f\.txt:21: gap in the daily rows: 2020-02-19 \(line 20\) is followed by 2020-02-21/);
  });
  it('an impossible date', () => {
    expectError(() => parseCssiSpaceWeatherText(broken((l) => (l[19] = '2020 02 30' + l[19].slice(10))), 'f.txt'), /^f\.txt:20: invalid date '2020 02 30'/);
  });
  it('a Kp outside 0…90 tenths', () => {
    expectError(() => parseCssiSpaceWeatherText(broken((l) => (l[19] = l[19].slice(0, 18) + ' 95' + l[19].slice(21))), 'f.txt'), /^f\.txt:20: Kp1 = 9\.5 outside 0…9/);
  });
  it('a file of another kind', () => {
    expectError(() => parseCssiSpaceWeatherText('DATATYPE EOP\n', 'eop.txt'), /^eop\.txt:1: DATATYPE 'EOP' is not CssiSpaceWeather/);
  });
  it('a CSV row with an unknown data type and one with a missing field', () => {
    const head = 'DATE,BSRN,ND,KP1,KP2,KP3,KP4,KP5,KP6,KP7,KP8,KP_SUM,AP1,AP2,AP3,AP4,AP5,AP6,AP7,AP8,AP_AVG,CP,C9,ISN,F10.7_OBS,F10.7_ADJ,F10.7_DATA_TYPE,F10.7_OBS_CENTER81,F10.7_OBS_LAST81,F10.7_ADJ_CENTER81,F10.7_ADJ_LAST81';
    const row = '1957-10-01,1700,19,43,40,30,20,37,23,43,37,273,32,27,15,7,22,9,32,22,21,1.1,5,334,269.3,269.8,OBS,266.6,230.9,266.8,235.5';
    expect(parseCssiSpaceWeatherCsv(`${head}\n${row}\n`, 'ok.csv').daily).to.have.length(1);
    expectError(() => parseCssiSpaceWeatherCsv(`${head}\n${row.replace(',OBS,', ',XYZ,')}\n`, 'b.csv'), /^b\.csv:2: F10\.7_DATA_TYPE 'XYZ' is not OBS, INT, PRD or PRM/);
    expectError(() => parseCssiSpaceWeatherCsv(`${head}\n${row.replace(',269.3,', ',')}\n`, 'c.csv'), /^c\.csv:2: 30 fields, the header has 31/);
  });
});

describe('space-weather table look-ups', function () {
  this.timeout(20_000);
  let table: SpaceWeatherTable;
  before(() => {
    table = new SpaceWeatherTable(parseSpaceWeather(readReferenceText(TXT), TXT), { apWhenMissing: 15 });
  });

  it('coverage', () => {
    expect(table.coverage()).to.deep.equal({ source: TXT, firstDate: '1957-10-01', lastDate: '2041-10-01', lastObservedDate: '2026-08-21' });
  });

  it('NRLMSISE-00 inputs at 2026-08-21T10:30Z from the rows of 08-19, 08-20 and 08-21', () => {
    // 2026 08 19 …  12  39  32  27   7   6  12  15  19 … 129.2 0 117.9 135.6 126.1 115.3 131.5
    // 2026 08 20 …  12   7   7   6  18   7  22   9  11 … 127.7 0 117.9 135.4 124.7 115.3 131.4
    // 2026 08 21 … 30 23 13 10 17  7 10 17 127  15   9   5   4   6   3   4   6   6 … 128.5 0 117.7 135.3 125.6 115.1 131.3
    const a = table.atmosphereInputs('2026-08-21T10:30:00Z'); // 3-hour interval 09-12 UT (index 3)
    expect(a.f107PrevDaySfu).to.equal(124.7); // observed F10.7 of 08-20
    expect(a.f107Avg81Sfu).to.equal(115.1); // observed centred 81-day mean of 08-21
    expect(a.apDaily).to.equal(6);
    expect(a.kp3h).to.equal(1.0);
    const prevDayMean = (12 + 7 + 7 + 6 + 18 + 7 + 22 + 9) / 8;
    const dayBeforeMean = (12 + 39 + 32 + 27 + 7 + 6 + 12 + 15) / 8;
    expect(a.ap3hHistory).to.have.length(7);
    expect(a.ap3hHistory.slice(0, 5)).to.deep.equal([6, 4, 5, 9, 15]);
    expect(a.ap3hHistory[5]).to.be.closeTo(prevDayMean, 1e-9);
    expect(a.ap3hHistory[6]).to.be.closeTo(dayBeforeMean, 1e-9);
    expect(a.flags).to.deep.equal({ source: TXT, predicted: false, extrapolated: false });
  });

  it('daily-predicted days are the file rows, flagged predicted', () => {
    const v = table.day(mjd('2026-09-13'));
    expect(v.predicted).to.equal(true);
    expect(v.record.kind).to.equal('daily-predicted');
    expect(v.record.f107ObsSfu).to.equal(128.4);
  });

  it('monthly-predicted range: linear between monthly points, Ap = apWhenMissing where the text file has none', () => {
    // 2026-11-01: obs 121.1, ctr81 118.4; 2026-12-01: obs 120.6, ctr81 121.4 → 2026-11-16 is 15/30 of the way
    const v = table.day(mjd('2026-11-16'));
    expect(v.record.kind).to.equal('monthly-predicted');
    expect(v.predicted).to.equal(true);
    expect(v.extrapolated).to.equal(false);
    expect(v.record.f107ObsSfu).to.be.closeTo(121.1 + 0.5 * (120.6 - 121.1), 1e-9);
    expect(v.record.f107ObsCenter81Sfu).to.be.closeTo(118.4 + 0.5 * (121.4 - 118.4), 1e-9);
    expect(v.record.apDaily).to.equal(15);
    expect(v.record.kp3h).to.deep.equal(new Array(8).fill(3));
    // between the last daily row (2026-10-05, obs 95.0) and the first monthly point (2026-11-01, obs 121.1)
    const g = table.day(mjd('2026-10-20'));
    expect(g.record.f107ObsSfu).to.be.closeTo(95.0 + (15 / 27) * (121.1 - 95.0), 1e-3);
  });

  it('beyond the table: the last (first) row is held and flagged extrapolated', () => {
    const after = table.day(mjd('2050-01-01')); // last point 2041 10 01 … 10  70.0    69.2  70.5  69.8  68.8  69.0
    expect(after.extrapolated).to.equal(true);
    expect(after.record.f107ObsSfu).to.equal(69.8);
    expect(after.record.apDaily).to.equal(15);
    const before = table.day(mjd('1950-01-01'));
    expect(before.extrapolated).to.equal(true);
    expect(before.record.f107ObsSfu).to.equal(269.3);
    expect(table.atmosphereInputs('2050-01-01T00:00:00Z').flags.extrapolated).to.equal(true);
  });

  it('the CSV monthly rows carry Ap, which is then interpolated', () => {
    const t = new SpaceWeatherTable(parseSpaceWeather(readReferenceText(CSV), CSV), { apWhenMissing: 15 });
    // 2025-07-01 … AP 10 …; 2025-08-01 … AP 12 … → 2025-07-16 is 15/31 of the way
    expect(t.day(mjd('2025-07-16')).record.apDaily).to.be.closeTo(10 + (15 / 31) * 2, 1e-3);
  });
});

function mjd(date: string): number {
  return Math.round(Date.parse(date + 'T00:00:00Z') / 86_400_000) + 40587;
}
