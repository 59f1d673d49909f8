import type { SpaceWeatherRecord } from '../../interfaces/domain/reference-data';
import type { ProvenanceFlags } from '../../interfaces/services/reference-data';
import { isoDateFromMjd, mjdFromIsoDate, type ParsedSpaceWeather, type SpaceWeatherDay } from './parse';

/**
 * Look-ups in a parsed space-weather table, as the atmosphere models need them. Pure.
 *
 * What is returned where (also in README.md):
 * - dates of the observed and daily-predicted sections: the file's row for that day;
 * - dates after the last daily row up to the last monthly-predicted point: values interpolated
 *   linearly in time along the sequence (last daily row, monthly points…), so the flux is
 *   continuous where a propagation crosses the boundary; kind `monthly-predicted`,
 *   `predicted: true`. The monthly points of the fixed-field file carry no Ap/Kp: there Ap is
 *   interpolated only when both neighbours have it (the CSV's monthly rows do), otherwise it is
 *   `apWhenMissing` (configured, default 15 = Kp 3o), the same for the eight 3-hour values;
 * - dates beyond the last row (or before the first): the values of the last (first) row are
 *   held, `extrapolated: true`; the plugin logs a warning.
 */

/**
 * Kp (thirds: 0o, 0+, 1-, 1o, … 9o, index = 3·Kp) → 3-hourly ap, the conversion defined by
 * Bartels (1957) and used by GFZ Potsdam (Matzka et al. 2021, Space Weather 19, e2020SW002641,
 * Table 1). The test checks it against every observed row of SW-All.
 */
export const AP_OF_KP_THIRDS = [0, 2, 3, 4, 5, 6, 7, 9, 12, 15, 18, 22, 27, 32, 39, 48, 56, 67, 80, 94, 111, 132, 154, 179, 207, 236, 300, 400];

/** Kp for an ap value: inverse of the Bartels table, linear between its points (used where a file gives Ap only). */
export function kpFromAp(ap: number): number {
  if (ap <= 0) return 0;
  const t = AP_OF_KP_THIRDS;
  for (let i = 1; i < t.length; i++) {
    if (ap <= t[i]) return (i - 1 + (ap - t[i - 1]) / (t[i] - t[i - 1])) / 3;
  }
  return 9;
}

export interface DayValues {
  record: SpaceWeatherRecord;
  predicted: boolean;
  extrapolated: boolean;
}

export interface AtmosphereInputs {
  f107PrevDaySfu: number;
  f107Avg81Sfu: number;
  apDaily: number;
  ap3hHistory: number[];
  kp3h: number;
  flags: ProvenanceFlags;
}

export interface TableOptions {
  /** Ap used where the table gives none (monthly-predicted points of the text format). */
  apWhenMissing: number;
}

const F107_KEYS = ['f107ObsSfu', 'f107AdjSfu', 'f107ObsCenter81Sfu', 'f107ObsLast81Sfu'] as const;

export class SpaceWeatherTable {
  readonly source: string;
  readonly firstMjd: number;
  readonly lastDailyMjd: number;
  readonly lastMjd: number;
  /** Last row that is observed or interpolated (not a prediction). */
  readonly lastObservedMjd: number;
  readonly rows: number;
  private readonly anchors: SpaceWeatherDay[];

  constructor(
    readonly parsed: ParsedSpaceWeather,
    readonly options: TableOptions,
  ) {
    this.source = parsed.source;
    this.firstMjd = parsed.daily[0].mjd;
    this.lastDailyMjd = parsed.daily[parsed.daily.length - 1].mjd;
    this.lastMjd = parsed.monthly.length ? parsed.monthly[parsed.monthly.length - 1].mjd : this.lastDailyMjd;
    const lastObs = [...parsed.daily].reverse().find((d) => d.kind === 'observed' || d.kind === 'interpolated');
    this.lastObservedMjd = lastObs ? lastObs.mjd : this.firstMjd - 1;
    this.rows = parsed.daily.length + parsed.monthly.length;
    this.anchors = [parsed.daily[parsed.daily.length - 1], ...parsed.monthly];
  }

  coverage(): { source: string; firstDate: string; lastDate: string; lastObservedDate: string } {
    return { source: this.source, firstDate: isoDateFromMjd(this.firstMjd), lastDate: isoDateFromMjd(this.lastMjd), lastObservedDate: isoDateFromMjd(this.lastObservedMjd) };
  }

  /** Values of the UTC day `mjd` (integer). */
  day(mjd: number): DayValues {
    const daily = this.parsed.daily;
    if (mjd < this.firstMjd) return this.held(daily[0], mjd);
    if (mjd <= this.lastDailyMjd) {
      const row = daily[mjd - this.firstMjd];
      return { record: toRecord(row, row.mjd, row.kind), predicted: row.kind === 'daily-predicted' || row.kind === 'monthly-predicted', extrapolated: false };
    }
    if (mjd > this.lastMjd) return this.held(this.anchors[this.anchors.length - 1], mjd);
    // monthly-predicted range: linear interpolation between the bracketing anchors
    let k = 1;
    while (this.anchors[k].mjd < mjd) k++;
    const a = this.anchors[k - 1];
    const b = this.anchors[k];
    const w = (mjd - a.mjd) / (b.mjd - a.mjd);
    const record: SpaceWeatherRecord = { dateUtc: isoDateFromMjd(mjd), kind: 'monthly-predicted' };
    for (const key of F107_KEYS) {
      const va = a[key];
      const vb = b[key];
      if (va !== undefined && vb !== undefined) record[key] = round(va + w * (vb - va), 1e3);
    }
    const apDaily = a.apDaily !== undefined && b.apDaily !== undefined ? round(a.apDaily + w * (b.apDaily - a.apDaily), 1e3) : this.options.apWhenMissing;
    record.apDaily = apDaily;
    record.ap3h = new Array<number>(8).fill(apDaily);
    record.kp3h = new Array<number>(8).fill(round(kpFromAp(apDaily), 1e3));
    return { record, predicted: true, extrapolated: false };
  }

  /** The NRLMSISE-00 inputs at a UTC instant `YYYY-MM-DDThh:mm:ss[.f][Z]`. */
  atmosphereInputs(instantUtc: string): AtmosphereInputs {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/.exec(instantUtc);
    const mjd = m ? mjdFromIsoDate(m[1]) : undefined;
    if (!m || mjd === undefined || Number(m[2]) > 23) throw new Error(`space-weather: '${instantUtc}' is not a UTC instant YYYY-MM-DDThh:mm:ss[.f][Z]`);
    // 3-hour interval of the day (00-03 UT = 0 … 21-24 UT = 7); 23:59:60 stays in interval 7.
    const interval = Math.floor(Number(m[2]) / 3);
    let predicted = false;
    let extrapolated = false;
    const days = new Map<number, DayValues>();
    const dayOf = (d: number): DayValues => {
      let v = days.get(d);
      if (!v) {
        v = this.day(d);
        days.set(d, v);
        predicted ||= v.predicted;
        extrapolated ||= v.extrapolated;
      }
      return v;
    };
    const today = dayOf(mjd).record;
    const yesterday = dayOf(mjd - 1).record;
    // ap of the 3-hour interval j intervals before the current one
    const apBack = (j: number): number => {
      const idx = mjd * 8 + interval - j;
      const d = Math.floor(idx / 8);
      const r = dayOf(d).record;
      return r.ap3h ? r.ap3h[idx - d * 8] : (r.apDaily ?? this.options.apWhenMissing);
    };
    const mean = (from: number, to: number) => {
      let s = 0;
      for (let j = from; j <= to; j++) s += apBack(j);
      return s / (to - from + 1);
    };
    const apDaily = today.apDaily ?? this.options.apWhenMissing;
    // NRLMSISE-00 AP array (Picone et al. 2002, JGR 107(A12) 1468; model source header):
    // [0] daily Ap, [1] current 3-h ap, [2] 3 h before, [3] 6 h before, [4] 9 h before,
    // [5] mean of the eight 3-h ap from 12 to 33 h before, [6] mean of the eight from 36 to 57 h before.
    const ap3hHistory = [apDaily, apBack(0), apBack(1), apBack(2), apBack(3), mean(4, 11), mean(12, 19)];
    // NRLMSISE-00 takes the OBSERVED flux (at the Earth's distance, not adjusted to 1 AU):
    // F10.7 of the previous day and its 81-day average centred on the day.
    const f107Prev = yesterday.f107ObsSfu;
    const f107Avg = today.f107ObsCenter81Sfu;
    if (f107Prev === undefined || f107Avg === undefined) throw new Error(`space-weather: no observed F10.7 for ${isoDateFromMjd(mjd)} in ${this.source}`);
    const kp3h = today.kp3h ? today.kp3h[interval] : round(kpFromAp(apBack(0)), 1e3);
    return { f107PrevDaySfu: f107Prev, f107Avg81Sfu: f107Avg, apDaily, ap3hHistory, kp3h, flags: { source: this.source, predicted, extrapolated } };
  }

  private held(row: SpaceWeatherDay, mjd: number): DayValues {
    const record = toRecord(row, mjd, row.kind);
    if (record.apDaily === undefined) {
      record.apDaily = this.options.apWhenMissing;
      record.ap3h = new Array<number>(8).fill(this.options.apWhenMissing);
      record.kp3h = new Array<number>(8).fill(round(kpFromAp(this.options.apWhenMissing), 1e3));
    }
    return { record, predicted: row.kind === 'daily-predicted' || row.kind === 'monthly-predicted', extrapolated: true };
  }
}

function toRecord(row: SpaceWeatherDay, mjd: number, kind: SpaceWeatherRecord['kind']): SpaceWeatherRecord {
  const r: SpaceWeatherRecord = { dateUtc: isoDateFromMjd(mjd), kind };
  if (row.f107ObsSfu !== undefined) r.f107ObsSfu = row.f107ObsSfu;
  if (row.f107AdjSfu !== undefined) r.f107AdjSfu = row.f107AdjSfu;
  if (row.f107ObsCenter81Sfu !== undefined) r.f107ObsCenter81Sfu = row.f107ObsCenter81Sfu;
  if (row.f107ObsLast81Sfu !== undefined) r.f107ObsLast81Sfu = row.f107ObsLast81Sfu;
  if (row.apDaily !== undefined) r.apDaily = row.apDaily;
  if (row.ap3h) r.ap3h = [...row.ap3h];
  if (row.kp3h) r.kp3h = [...row.kp3h];
  return r;
}

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}
