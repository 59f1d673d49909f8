import { expect } from 'chai';
import { readReferenceText } from '../../reference-data';
import { Epoch, LeapSecondTable, TimeError, TimeScale, Ut1Provider, mjdFromCalendarDate, calendarDateFromMjd, tdbMinusTtS } from '../time';
import { seededRandom } from '../../random';

const USNO = 'eop/usno-tai-utc.dat';
const HISTORY = 'eop/orekit/UTC-TAI.history';
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The USNO lines read independently of the parser under test: whitespace-split fields. */
function rawUsnoEntries(): Array<{ year: number; month: number; day: number; mjd: number; offset: number; ref: number; rate: number }> {
  return readReferenceText(USNO)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      // ' 1961 JAN  1 =JD 2437300.5  TAI-UTC=   1.4228180 S + (MJD - 37300.) X 0.001296 S'
      const f = l.replace(/[()=]/g, ' ').trim().split(/\s+/);
      return {
        year: Number(f[0]),
        month: MONTHS.indexOf(f[1]) + 1,
        day: Number(f[2]),
        mjd: Number(f[4]) - 2400000.5,
        offset: Number(f[6]),
        ref: Number(f[11]),
        rate: Number(f[13].replace(/S$/, '')),
      };
    });
}

/** TAI − UTC of an instant, measured as (instant read X in UTC) − (instant read X in TAI). */
function measuredTaiMinusUtc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return Epoch.fromCalendar(y, mo, d, h, mi, s, 'UTC').minus(Epoch.fromCalendar(y, mo, d, h, mi, s, 'TAI'));
}

/** Deterministic PRNG (sdk/random.ts, mulberry32) so that a failure can be reproduced. */
const rng = seededRandom;

const constantUt1 = (dut1S: number): Ut1Provider => ({ ut1MinusUtcS: () => dut1S });

describe('sdk/astro/time — leap-second table', () => {
  it('parses USNO tai-utc.dat and IERS UTC-TAI.history; the bundled table equals both (all 41 entries, 1961-2017)', () => {
    const usno = LeapSecondTable.parseTaiUtcDat(readReferenceText(USNO), USNO);
    const hist = LeapSecondTable.parseUtcTaiHistory(readReferenceText(HISTORY), HISTORY);
    const raw = rawUsnoEntries();
    expect(usno.entries.length).to.equal(raw.length).and.to.equal(41);
    raw.forEach((r, i) => {
      expect(usno.entries[i]).to.deep.equal({ mjd: r.mjd, offsetS: r.offset, refMjd: r.ref, rateSPerDay: r.rate });
      expect(mjdFromCalendarDate(r.year, r.month, r.day)).to.equal(r.mjd);
    });
    expect(hist.entries).to.deep.equal(usno.entries);
    expect(LeapSecondTable.DEFAULT.entries).to.deep.equal(usno.entries);
    expect(LeapSecondTable.DEFAULT.taiMinusUtcS(60000)).to.equal(37);
  });

  it('TAI−UTC is exact one second before and at every step of tai-utc.dat (drift terms included before 1972)', () => {
    const raw = rawUsnoEntries();
    // expected from the file's own formula: offset + (MJD_UTC − ref) × rate
    const formula = (e: (typeof raw)[number], mjdUtc: number): number => e.offset + (mjdUtc - e.ref) * e.rate;
    for (let k = 1; k < raw.length; k++) {
      const e = raw[k];
      const prev = raw[k - 1];
      const before = calendarDateFromMjd(e.mjd - 1);
      const atStep = measuredTaiMinusUtc(e.year, e.month, e.day, 0, 0, 0);
      const secondBefore = measuredTaiMinusUtc(before.year, before.month, before.day, 23, 59, 59);
      // whole-second steps since 1972 are exact in the split representation: tolerance 1e-12 s;
      // drift-term values are products of doubles: 1e-9 s
      const tol = e.rate === 0 && prev.rate === 0 ? 1e-12 : 1e-9;
      expect(atStep, `${e.year}-${e.month}-${e.day} 00:00:00`).to.be.closeTo(formula(e, e.mjd), tol);
      expect(secondBefore, `${before.year}-${before.month}-${before.day} 23:59:59`).to.be.closeTo(formula(prev, e.mjd - 1 / 86400), tol);
      expect(LeapSecondTable.DEFAULT.taiMinusUtcS(e.mjd)).to.equal(formula(e, e.mjd));
      if (e.year >= 1972 && prev.rate === 0) {
        // a positive leap second: the previous day has 86401 s and ends with 23:59:60
        expect(e.offset - prev.offset).to.equal(1);
        const start = Epoch.fromCalendar(e.year, e.month, e.day);
        const prevStart = Epoch.fromCalendar(before.year, before.month, before.day);
        expect(start.minus(prevStart)).to.equal(86401);
        const leap = start.plusSeconds(-1);
        expect(leap.toIso('UTC', 3)).to.equal(`${before.year}-${String(before.month).padStart(2, '0')}-${String(before.day).padStart(2, '0')}T23:59:60.000Z`);
        expect(leap.equals(Epoch.fromCalendar(before.year, before.month, before.day, 23, 59, 60))).to.equal(true);
        expect(leap.toCalendar('UTC').second).to.equal(60);
      }
    }
  });

  it('23:59:60 is valid only at the end of a leap-second day; 2016-12-31T23:59:60.5 formats as such', () => {
    const leap = Epoch.parse('2016-12-31T23:59:60.5Z');
    expect(leap.toIso()).to.equal('2016-12-31T23:59:60.500000Z');
    expect(leap.toDoy()).to.equal('2016-366T23:59:60.500');
    expect(leap.toIso('TAI', 1)).to.equal('2017-01-01T00:00:36.5');
    expect(leap.plusSeconds(0.5).toIso('UTC', 3)).to.equal('2017-01-01T00:00:00.000Z');
    expect(leap.minus(Epoch.parse('2016-12-31T23:59:59'))).to.be.closeTo(1.5, 1e-12);
    expect(() => Epoch.parse('2016-12-31T23:59:61')).to.throw(TimeError, /past the end/);
    expect(() => Epoch.parse('2016-12-30T23:59:60')).to.throw(TimeError, /'2016-12-30T23:59:60'.*no leap second/);
    expect(() => Epoch.parse('2016-06-30T23:59:60')).to.throw(TimeError, /no leap second/);
    expect(() => Epoch.parse('2016-12-31T23:58:60')).to.throw(TimeError, /only possible at 23:59/);
    expect(() => Epoch.parse('2016-12-31T23:59:60', 'TAI')).to.throw(TimeError, /only UTC has leap seconds/);
  });

  it('before 1972: the 1968-02-01 step of −0.1 s makes 1968-01-31T23:59:59.9 nonexistent; the 1963-11-01 step of +0.1 s adds 23:59:60.0–60.1', () => {
    expect(() => Epoch.parse('1968-01-31T23:59:59.95')).to.throw(TimeError, /UTC skipped/);
    // 0.1 s of UTC then the skip: 0.1 SI s, plus a drift of 0.002592 s/day over 0.2 s of day (6e-9 s)
    expect(Epoch.parse('1968-02-01T00:00:00').minus(Epoch.parse('1968-01-31T23:59:59.8'))).to.be.closeTo(0.1, 1e-8);
    // the 1972-01-01 transition to whole-second offsets: TAI − UTC went from 9.892242 to 10 s, a step of 0.107758 s
    expect(Epoch.parse('1971-12-31T23:59:60.1').toIso('UTC', 1)).to.equal('1971-12-31T23:59:60.1Z');
    expect(Epoch.parse('1972-01-01T00:00:00').minus(Epoch.parse('1971-12-31T23:59:60'))).to.be.closeTo(0.107758, 1e-6);
    const extra = Epoch.parse('1963-10-31T23:59:60.05');
    expect(extra.toIso('UTC', 2)).to.equal('1963-10-31T23:59:60.05Z');
    expect(() => Epoch.parse('1963-10-31T23:59:60.1')).to.throw(TimeError, /past the end/);
  });

  it('tai-utc.dat and UTC-TAI.history parse errors name the source and the line', () => {
    const lines = readReferenceText(USNO).split('\n');
    lines[19] = ' 1980 JAN  1 =JD 2444239.5  TAI-UTC=  19.0       S + (MJD - 41317.) Y 0.0      S';
    expect(() => LeapSecondTable.parseTaiUtcDat(lines.join('\n'), 'usno')).to.throw(TimeError, /usno line 20: not a tai-utc.dat entry/);
    lines[19] = ' 1980 JAN  2 =JD 2444239.5  TAI-UTC=  19.0       S + (MJD - 41317.) X 0.0      S';
    expect(() => LeapSecondTable.parseTaiUtcDat(lines.join('\n'), 'usno')).to.throw(TimeError, /usno line 20: JD 2444239.5 does not match/);
    const hist = readReferenceText(HISTORY).split('\n');
    const i = hist.findIndex((l) => l.includes('1999  Jan.  1.- 2006'));
    hist[i] = hist[i].replace('32s', '3x2s');
    expect(() => LeapSecondTable.parseUtcTaiHistory(hist.join('\n'), 'hist')).to.throw(TimeError, new RegExp(`hist line ${i + 1}: not a UTC-TAI.history entry`));
  });
});

describe('sdk/astro/time — Epoch', () => {
  it('round trip UTC→TAI→TT→TDB→TT→TAI→GPS→UTC within 1 µs at 2000 random instants 1950–2100', () => {
    const rand = rng(20240601);
    const start = mjdFromCalendarDate(1950, 1, 1);
    const end = mjdFromCalendarDate(2100, 1, 1);
    let worst = 0;
    for (let n = 0; n < 2000; n++) {
      const day = start + Math.floor(rand() * (end - start));
      const c = calendarDateFromMjd(day);
      const sod = Math.floor(rand() * 86400 * 1e6) / 1e6; // µs-resolution readings
      const e0 = Epoch.fromCalendar(c.year, c.month, c.day, Math.floor(sod / 3600), Math.floor((sod % 3600) / 60), sod % 60, 'UTC');
      // each hop goes through a different representation of the reading in the next scale
      const tai = Epoch.parse(e0.toIso('TAI', 9), 'TAI');
      const tt = Epoch.fromJd(...tai.jd('TT'), 'TT');
      const tdb = Epoch.parse(tt.toDoy('TDB', 9), 'TDB');
      const ttC = tdb.toCalendar('TT');
      const tt2 = Epoch.fromCalendar(ttC.year, ttC.month, ttC.day, ttC.hour, ttC.minute, ttC.second, 'TT');
      const tai2 = Epoch.fromJd(...tt2.jd('TAI'), 'TAI');
      const gps = Epoch.parse(tai2.toIso('GPS', 9), 'GPS');
      const utc = Epoch.parse(gps.toIso('UTC', 9), 'UTC');
      const err = Math.abs(utc.minus(e0));
      worst = Math.max(worst, err);
      // and the UTC reading comes back digit for digit at µs resolution
      expect(utc.toIso('UTC', 6)).to.equal(e0.toIso('UTC', 6));
    }
    expect(worst).to.be.below(1e-6);
  });

  it('keeps sub-µs precision: adding 1e-6 s a million times equals adding 1 s within 1e-9 s', () => {
    const t0 = Epoch.parse('2024-03-01T12:34:56.789');
    let t = t0;
    for (let k = 0; k < 1_000_000; k++) t = t.plusSeconds(1e-6);
    expect(Math.abs(t.minus(t0.plusSeconds(1)))).to.be.below(1e-9);
    // and over a century, differences of 1 ns survive
    const far = Epoch.parse('2099-12-31T23:59:59').plusSeconds(1e-9);
    expect(far.minus(Epoch.parse('2099-12-31T23:59:59'))).to.be.closeTo(1e-9, 1e-13);
    expect(Epoch.parse('1950-01-01T00:00:00.000000001').minus(Epoch.parse('1950-01-01T00:00:00'))).to.be.closeTo(1e-9, 1e-13);
  });

  it('JD and MJD round trips in every scale (two-part JD < 1e-10 s; single MJD double < 1 µs)', () => {
    const opts = { ut1: constantUt1(-0.2) };
    const rand = rng(7);
    for (const scale of ['UTC', 'TAI', 'TT', 'TDB', 'GPS', 'UT1'] as TimeScale[]) {
      for (let n = 0; n < 200; n++) {
        const e = Epoch.fromMjd(33282 + rand() * 54787, 'TAI', opts);
        const [j1, j2] = e.jd(scale);
        expect(Number.isInteger(j1 - 0.5)).to.equal(true);
        expect(j2).to.be.at.least(0).and.below(1);
        expect(Math.abs(Epoch.fromJd(j1, j2, scale, opts).minus(e)), scale).to.be.below(1e-10);
        expect(Math.abs(Epoch.fromMjd(e.mjd(scale), scale, opts).minus(e)), scale).to.be.below(1e-6);
        expect(Math.abs(Epoch.fromJd(j1 + j2, 0, scale, opts).minus(e)), scale).to.be.below(1e-4); // one double JD: ~40 µs resolution
      }
    }
  });

  it('Vallado 4th ed. Example 3-15: 2004-04-06 07:51:28.386009 UTC, ΔAT = 32 s → TT 07:52:32.570009, JD_TT 2453101.828154745', () => {
    // Vallado, Fundamentals of Astrodynamics and Applications, 4th ed. (2013), Example 3-15
    // (ΔUT1 = −0.4399619 s). Tolerance: the book prints JD to 1e-9 day (86 µs).
    const e = Epoch.parse('2004-04-06T07:51:28.386009', 'UTC', { ut1: constantUt1(-0.4399619) });
    expect(e.taiMinusUtcS()).to.equal(32);
    expect(e.toIso('TT', 6)).to.equal('2004-04-06T07:52:32.570009');
    const [j1, j2] = e.jd('TT');
    expect(j1 + j2).to.be.closeTo(2453101.828154745, 1e-9);
    expect(e.toIso('UT1', 7)).to.equal('2004-04-06T07:51:27.9460471');
    expect(e.toIso('UTC', 6)).to.equal('2004-04-06T07:51:28.386009Z');
  });

  it('Vallado 4th ed. Example 3-7: 2004-05-14 16:43:00 UTC, ΔUT1 = −0.463326 s → UT1, TAI, GPS, TT, JD_UT1, JD_TT, T_TT', () => {
    // Vallado (2013) Example 3-7, pp. 195-196: UT1 = 16:42:59.5367, TAI = 16:43:32.0,
    // GPS = 16:43:13.0, TT = 16:44:04.184, JD_UT1 = 2453140.196522415, JD_TT = 2453140.19727065,
    // T_TT = 0.043674121031. Tolerances: the printed digits (1e-9 d, 1e-8 d, 1e-12 century).
    const e = Epoch.fromCalendar(2004, 5, 14, 16, 43, 0, 'UTC', { ut1: constantUt1(-0.463326) });
    expect(e.toIso('UT1', 4)).to.equal('2004-05-14T16:42:59.5367');
    expect(e.toIso('TAI', 1)).to.equal('2004-05-14T16:43:32.0');
    expect(e.toIso('GPS', 1)).to.equal('2004-05-14T16:43:13.0');
    expect(e.toIso('TT', 3)).to.equal('2004-05-14T16:44:04.184');
    const ut1 = e.jd('UT1');
    expect(ut1[0] + ut1[1]).to.be.closeTo(2453140.196522415, 1e-9);
    const tt = e.jd('TT');
    expect(tt[0] + tt[1]).to.be.closeTo(2453140.19727065, 1e-8);
    expect(e.julianCenturiesSinceJ2000('TT')).to.be.closeTo(0.043674121031, 1e-12);
  });

  it('TDB − TT matches the SOFA iauDtdb reference value and the ±1.7 ms annual amplitude', () => {
    // SOFA test suite (t_sofa.c, t_dtdb): iauDtdb(2448939.5, 0.123, ...) = −1.280368005936998991e-3 s
    // with the full Fairhead-Bretagnon series PLUS topocentric terms for a site at u = 5525 km
    // (≤ ~2 µs). Circular 179 eq. 2.6 is good to ~10 µs: tolerance 12 µs.
    const e = Epoch.fromJd(2448939.5, 0.123, 'TT');
    const tdbMinusTt = Epoch.fromJd(...e.jd('TDB'), 'TT').minus(e);
    expect(tdbMinusTt).to.be.closeTo(-1.280368005937e-3, 12e-6);
    expect(tdbMinusTtS(e.julianCenturiesSinceJ2000('TT'))).to.be.closeTo(tdbMinusTt, 1e-9);
    // Astronomical Almanac (sect. B): TDB − TT is periodic with amplitude ≈ 1.7 ms (1.657 ms main term)
    let max = 0;
    for (let d = 0; d < 366; d++) max = Math.max(max, Math.abs(tdbMinusTtS((d - 2000) / 36525)));
    expect(max).to.be.within(1.6e-3, 1.7e-3);
    // Round trip TDB reading ↔ instant (the periodic term is evaluated at TT one way, TDB the other)
    const tdb = Epoch.parse('2030-04-03T00:00:00', 'TDB');
    expect(tdb.toIso('TDB', 9)).to.equal('2030-04-03T00:00:00.000000000');
  });

  it('parses ISO-8601 calendar, CCSDS day-of-year, optional Z, date-only and hh:mm forms', () => {
    const ref = Epoch.fromCalendar(2004, 4, 6, 7, 51, 28.386009);
    expect(Epoch.parse('2004-097T07:51:28.386009').equals(ref, 1e-12)).to.equal(true);
    expect(Epoch.parse('2004-097T07:51:28.386009Z').equals(ref, 1e-12)).to.equal(true);
    expect(Epoch.parse('2004-04-06 07:51:28.386009').equals(ref, 1e-12)).to.equal(true);
    expect(ref.toDoy()).to.equal('2004-097T07:51:28.386');
    expect(ref.toIso()).to.equal('2004-04-06T07:51:28.386009Z');
    expect(ref.toIso('TAI', 0)).to.equal('2004-04-06T07:52:00');
    expect(Epoch.parse('2004-04-06').equals(Epoch.fromCalendar(2004, 4, 6))).to.equal(true);
    expect(Epoch.parse('2004-04-06T07:51').equals(Epoch.fromCalendar(2004, 4, 6, 7, 51))).to.equal(true);
    expect(Epoch.parse('2024-366T00:00:00').toIso('UTC', 0)).to.equal('2024-12-31T00:00:00Z');
    expect(Epoch.parse('2023-07-01T00:00:00.123456789').toIso('UTC', 9)).to.equal('2023-07-01T00:00:00.123456789Z');
    expect(Epoch.parse('2023-07-01T00:00:00', 'TT').toIso('TT', 3)).to.equal('2023-07-01T00:00:00.000');
    expect(Epoch.fromYearDoy(2017, 1.5).toIso('UTC', 3)).to.equal('2017-01-01T12:00:00.000Z');
    expect(Epoch.J2000.toIso('TT', 3)).to.equal('2000-01-01T12:00:00.000');
    expect(Epoch.J2000.toIso('UTC', 3)).to.equal('2000-01-01T11:58:55.816Z'); // TT − UTC = 32 + 32.184 s
  });

  it('rounds formatted seconds with carry, into 23:59:60 on a leap day and into the next day otherwise', () => {
    expect(Epoch.parse('2016-12-31T23:59:59.9999999').toIso('UTC', 3)).to.equal('2016-12-31T23:59:60.000Z');
    expect(Epoch.parse('2016-12-31T23:59:60.9999999').toIso('UTC', 3)).to.equal('2017-01-01T00:00:00.000Z');
    expect(Epoch.parse('2017-01-01T23:59:59.9999999').toIso('UTC', 3)).to.equal('2017-01-02T00:00:00.000Z');
    expect(Epoch.parse('2017-12-31T23:59:59.9999999').toDoy('UTC', 6)).to.equal('2018-001T00:00:00.000000');
  });

  it('rejects invalid text with a TimeError naming the text and the reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['2023-02-30', /day 30 does not exist in 2023-02/],
      ['2023-13-01T00:00:00', /month 13/],
      ['2023-01-01T25:00:00', /hour 25/],
      ['2023-01-01T12:60:00', /minute 60/],
      ['2023-06-30T23:59:60', /no leap second/],
      ['2023-000T00:00:00', /day of year 0/],
      ['2023-366T00:00:00', /day of year 366 is outside 1–365/],
      ['garbage', /not 'YYYY-MM-DD/],
      ['2023-1-01T00:00:00', /not 'YYYY-MM-DD/],
      ['', /not 'YYYY-MM-DD/],
    ];
    for (const [text, why] of cases) {
      expect(() => Epoch.parse(text), text).to.throw(TimeError, why);
      try {
        Epoch.parse(text);
      } catch (e) {
        expect((e as Error).message).to.include(`'${text}'`);
      }
    }
    expect(() => Epoch.fromCalendar(2023, 2, 29)).to.throw(TimeError, /day 29 does not exist/);
    expect(() => Epoch.fromCalendar(2023, 1, 1, 0, 0, 0, 'XYZ' as TimeScale)).to.throw(TimeError, /unknown time scale 'XYZ'/);
    expect(() => Epoch.fromCalendar(2023, 1, 1).toIso('UTC', 12)).to.throw(TimeError, /fractionDigits 12/);
  });

  it('UT1 needs a provider: a clear TimeError without one; with one, UT1 stays continuous across a leap second', () => {
    const e = Epoch.parse('2020-01-01T00:00:00');
    expect(() => e.toIso('UT1')).to.throw(TimeError, /UT1 requested but no UT1−UTC source/);
    expect(() => Epoch.parse('2020-01-01T00:00:00', 'UT1')).to.throw(TimeError, /UT1 requested/);
    // a provider that jumps by +1 s with the 2017-01-01 leap second, as real EOP values do
    const dut1: Ut1Provider = { ut1MinusUtcS: (mjd) => (mjd < 57754 ? -0.4 : 0.6) };
    const opts = { ut1: dut1 };
    const a = Epoch.parse('2016-12-31T23:59:59.5', 'UTC', opts);
    for (let k = 0; k <= 4; k++) {
      const t = a.plusSeconds(0.5 * k);
      const ut1 = Epoch.parse(t.toIso('UT1', 9), 'UT1', opts);
      expect(Math.abs(ut1.minus(t))).to.be.below(1e-9);
      // UT1 advances with the SI seconds: no 1 s jump at the leap second
      expect(t.secondsSinceJ2000('UT1', opts) - a.secondsSinceJ2000('UT1', opts)).to.be.closeTo(0.5 * k, 1e-6);
    }
  });
});
