/**
 * NRLMSISE-00 densities for the drag force, driven by the space-weather provider.
 *
 * The force model is synchronous, so the space-weather inputs of a whole propagation are
 * fetched before integrating: one `atmosphereInputs` batch on the 3-hour UTC grid (00, 03, …,
 * 21 h) covering every epoch and output of the request. Within a 3-hour slot the inputs are
 * those the provider gives for the slot (F10.7 of the previous day, its 81-day centred mean,
 * daily Ap, and the 7-element ap history whose "current" value is the slot's 3-hour ap); they
 * step at slot boundaries as the indices themselves do (no interpolation, no invented values).
 *
 * Per evaluation (sdk/astro/atmosphere/nrlmsise00.ts, GTD7D: total mass density including
 * anomalous oxygen, the one for drag): geodetic latitude and height (WGS-84, one Bowring step)
 * and longitude of the Earth-fixed position; UTC day of year and seconds of day from the
 * propagation time; local solar time by the model's own convention lst = UT/3600 + λ/15 h
 * (the equation of time, ≤ 16 min, is left out as the model's documentation allows).
 * UTC at t is the epoch's UTC MJD + t/86400: a leap second inside the span shifts UT by ≤ 1 s,
 * far below anything the density resolves.
 */
import type { SpaceWeatherProvider } from '../../interfaces/services/reference-data';
import { Nrlmsise00, nrlmsiseSwitches, type NrlmsiseInput } from '../../sdk/astro/atmosphere/nrlmsise00';
import { calendarDateFromMjd, mjdFromCalendarDate } from '../../sdk/astro/time';
import { geodeticLatitudeHeight } from './forces';

/** Atmospheric density at an Earth-fixed position (km) at t (s since the propagation epoch), kg/m³. */
export interface AtmosphereDensity {
  densityKgM3(t: number, xItrfKm: number, yItrfKm: number, zItrfKm: number): number;
}

const SLOTS_PER_DAY = 8;

/** ISO instant of a 3-hour slot start, `YYYY-MM-DDThh:00:00Z`. */
function slotIso(slotIndex: number): string {
  const day = Math.floor(slotIndex / SLOTS_PER_DAY);
  const hour = (slotIndex - day * SLOTS_PER_DAY) * 3;
  const { year, month, day: dom } = calendarDateFromMjd(day);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${p2(month)}-${p2(dom)}T${p2(hour)}:00:00Z`;
}

/** Space-weather inputs of NRLMSISE-00 on consecutive 3-hour UTC slots. */
export class SpaceWeatherSlots {
  /** Slot k starts at MJD (firstSlot + k)/8 UTC. */
  constructor(
    readonly firstSlot: number,
    readonly f107PrevDaySfu: Float64Array,
    readonly f107Avg81Sfu: Float64Array,
    readonly apDaily: Float64Array,
    /** 7 values per slot. */
    readonly apHistory: Float64Array,
    readonly source: string,
    /** ISO instants of the slots the provider flagged `extrapolated` (outside its table). */
    readonly extrapolated: string[],
    readonly predicted: number,
  ) {}

  get count(): number {
    return this.f107PrevDaySfu.length;
  }

  /** Slot index (integer, absolute) of a UTC MJD. */
  static slotOf(mjdUtc: number): number {
    return Math.floor(mjdUtc * SLOTS_PER_DAY);
  }

  /**
   * One batched `atmosphereInputs` call for every slot from the one holding loMjdUtc to the one
   * holding hiMjdUtc (one extra slot each side for the integrator's stages). Throws with the
   * provider's message, or when its answer is malformed.
   */
  static async fetch(provider: SpaceWeatherProvider, loMjdUtc: number, hiMjdUtc: number): Promise<SpaceWeatherSlots> {
    const first = SpaceWeatherSlots.slotOf(loMjdUtc) - 1;
    const last = SpaceWeatherSlots.slotOf(hiMjdUtc) + 1;
    const n = last - first + 1;
    const instants = Array.from({ length: n }, (_, k) => slotIso(first + k));
    const records = await provider.atmosphereInputs(instants);
    if (!Array.isArray(records) || records.length !== n) throw new Error(`spaceweather.provider returned ${Array.isArray(records) ? records.length : 'no'} atmosphere inputs for ${n} instants`);
    const f107Prev = new Float64Array(n);
    const f107Avg = new Float64Array(n);
    const apDaily = new Float64Array(n);
    const apHistory = new Float64Array(7 * n);
    const extrapolated: string[] = [];
    let predicted = 0;
    let source = '';
    records.forEach((r, k) => {
      const bad = (what: string) => new Error(`spaceweather.provider: atmosphere inputs at ${instants[k]}: ${what}`);
      const pos = (v: unknown, key: string, min: number) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw bad(`${key} = ${String(v)} is not a number ≥ ${min}`);
        return v;
      };
      f107Prev[k] = pos(r?.f107PrevDaySfu, 'f107PrevDaySfu', 1e-9);
      f107Avg[k] = pos(r?.f107Avg81Sfu, 'f107Avg81Sfu', 1e-9);
      apDaily[k] = pos(r?.apDaily, 'apDaily', 0);
      if (!Array.isArray(r.ap3hHistory) || r.ap3hHistory.length !== 7) throw bad(`ap3hHistory must hold 7 values, got ${Array.isArray(r.ap3hHistory) ? r.ap3hHistory.length : 'none'}`);
      for (let i = 0; i < 7; i++) apHistory[7 * k + i] = pos(r.ap3hHistory[i], `ap3hHistory[${i}]`, 0);
      if (r.flags?.extrapolated) extrapolated.push(instants[k]);
      if (r.flags?.predicted) predicted++;
      source ||= r.flags?.source ?? '';
    });
    return new SpaceWeatherSlots(first, f107Prev, f107Avg, apDaily, apHistory, source, extrapolated, predicted);
  }
}

/**
 * NRLMSISE-00 (GTD7D) density along a propagation. `apMode` 'history' uses the 3-hour ap
 * history (model switch 9 = −1), 'daily' the daily Ap (switch 9 = 1).
 */
export class NrlmsiseDensity implements AtmosphereDensity {
  /** Model evaluations (statistics). */
  calls = 0;
  private readonly model: Nrlmsise00;
  private readonly history: boolean;
  private readonly geo = new Float64Array(2);
  private readonly ap = new Float64Array(7);
  private readonly input: NrlmsiseInput;
  private dayMjd = NaN;
  private doy = 0;

  /** @param epoch0MjdUtc UTC MJD of t = 0 */
  constructor(
    private readonly slots: SpaceWeatherSlots,
    private readonly epoch0MjdUtc: number,
    apMode: 'history' | 'daily' = 'history',
  ) {
    this.history = apMode === 'history';
    this.model = new Nrlmsise00(nrlmsiseSwitches(this.history ? { 9: -1 } : {}));
    this.input = { dayOfYear: 1, utSeconds: 0, altitudeKm: 0, latitudeDeg: 0, longitudeDeg: 0, localSolarTimeH: 0, f107AvgSfu: 150, f107PrevDaySfu: 150, apDaily: 4, apHistory: this.ap };
  }

  /** The model input at t for an Earth-fixed position (km) — what densityKgM3 evaluates (exposed for tests and diagnostics). */
  inputAt(t: number, x: number, y: number, z: number): NrlmsiseInput {
    const mjd = this.epoch0MjdUtc + t / 86400;
    const s = this.slots;
    let k = SpaceWeatherSlots.slotOf(mjd) - s.firstSlot;
    if (k < 0) k = 0;
    else if (k >= s.count) k = s.count - 1;
    const day = Math.floor(mjd);
    if (day !== this.dayMjd) {
      this.dayMjd = day;
      this.doy = day - mjdFromCalendarDate(calendarDateFromMjd(day).year, 1, 1) + 1;
    }
    const g = this.geo;
    geodeticLatitudeHeight(x, y, z, g);
    const lonDeg = (Math.atan2(y, x) * 180) / Math.PI;
    const utS = (mjd - day) * 86400;
    let lst = utS / 3600 + lonDeg / 15;
    lst -= 24 * Math.floor(lst / 24);
    const inp = this.input;
    inp.dayOfYear = this.doy;
    inp.utSeconds = utS;
    inp.altitudeKm = g[1];
    inp.latitudeDeg = (g[0] * 180) / Math.PI;
    inp.longitudeDeg = lonDeg;
    inp.localSolarTimeH = lst;
    inp.f107AvgSfu = s.f107Avg81Sfu[k];
    inp.f107PrevDaySfu = s.f107PrevDaySfu[k];
    inp.apDaily = s.apDaily[k];
    for (let i = 0; i < 7; i++) this.ap[i] = s.apHistory[7 * k + i];
    return inp;
  }

  densityKgM3(t: number, x: number, y: number, z: number): number {
    this.calls++;
    return this.model.densityKgM3(this.inputAt(t, x, y, z));
  }
}
