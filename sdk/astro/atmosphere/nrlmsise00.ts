/**
 * NRLMSISE-00 empirical model of the neutral atmosphere from the ground to the exosphere
 * (Picone, Hedin, Drob & Aikin 2002, "NRLMSISE-00 empirical model of the atmosphere:
 * Statistical comparisons and scientific issues", JGR 107(A12), 1468,
 * doi:10.1029/2002JA009430; built on MSIS-86, Hedin 1987, JGR 92(A5) 4649, and MSISE-90,
 * Hedin 1991, JGR 96(A2) 1159).
 *
 * What the model computes, in the order it does it:
 * - the thermosphere above 72.5 km (GTS7): a Bates temperature profile
 *   T(z) = T∞ − (T∞ − T_lb) exp(−S ζ(z, z_lb)) above z_a = 123.435 km, a cubic spline in 1/T
 *   through five nodes between z_a and 72.5 km; per species a diffusive density (hydrostatic
 *   along that profile with the species' mass and thermal-diffusion factor α), joined to the
 *   fully mixed density across the turbopause (DNET), times chemistry/dissociation corrections
 *   (CCOR, CCOR2); every boundary quantity (T∞, T_lb, S, the lower-boundary densities, the
 *   spline nodes) is a global average times 1 + G(L), the expansion in associated Legendre
 *   functions of latitude, local time, day of year, UT, longitude, F10.7 and Ap (GLOBE7;
 *   GLOB7S, its reduced form, for the lower-atmosphere nodes);
 * - the mesosphere, stratosphere and troposphere below 72.5 km (GTD7, DENSM): splines in 1/T
 *   through nodes at 72.5/55/45/32.5 and 32.5/20/15/10/0 km, densities by hydrostatic
 *   integration of the mixed gas, joined to the thermosphere between 62.5 and 72.5 km; O, H,
 *   N and anomalous O are zero there;
 * - "anomalous oxygen" (hot O and O⁺ above ~500 km, separated only by drag data) as its own
 *   species: GTD7's total mass density leaves it out, GTD7D's ("effective mass density for
 *   drag") includes it.
 * The formulas, the switch semantics and the order of evaluation are those of the model's
 * Fortran distribution (NRL, "MSISE-00 01-FEB-02"), whose coefficients are in
 * nrlmsise00-data.ts; this file is a re-implementation in double precision, checked against
 * the 17 published test cases to their 7 printed digits (sdk/astro/test/nrlmsise00.test.ts).
 *
 * Conventions of the inputs (the model's own):
 * - day of year 1–366 (the year is not used), UT seconds of the day, geodetic altitude km,
 *   geodetic latitude and longitude deg;
 * - local apparent solar time h; the model uses UT, longitude and local time independently,
 *   and recommends consistent values: lst = UT s/3600 + longitude/15 (the equation of time may
 *   be added but matters little);
 * - F10.7 at the Earth's distance (observed, not adjusted to 1 AU), sfu: the 81-day average
 *   centred on the day and the daily value of the PREVIOUS day;
 * - daily Ap, or with switch 9 = −1 the 7-element ap history: [daily Ap, 3-h ap now, 3, 6 and
 *   9 h before, mean of the eight 3-h values 12–33 h before, mean of the eight 36–57 h before].
 *
 * Outputs here in SI: number densities per m³, mass density kg/m³, temperatures K
 * (the Fortran's METERS(.TRUE.) units; its default is cm⁻³ and g/cm³).
 *
 * Switches (Fortran TSELEC; array index = switch number 1–23, index 0 unused): 0 off, 1 on,
 * 2 main effect off but cross terms on; switch 9 = −1 selects the 3-hourly ap history. 1 F10.7
 * effect on the mean, 2 time independent, 3 symmetrical annual, 4 symmetrical semiannual,
 * 5 asymmetrical annual, 6 asymmetrical semiannual, 7 diurnal, 8 semidiurnal, 9 daily Ap,
 * 10 all UT/longitude effects, 11 longitudinal, 12 UT and mixed UT/longitude, 13 mixed
 * Ap/UT/longitude, 14 terdiurnal, 15 departures from diffusive equilibrium, 16 all T∞
 * variations, 17 all T_lb, 18 all TN1, 19 all S, 20 all TN2, 21 all lower-boundary densities,
 * 22 all TN3, 23 turbopause scale height.
 *
 * One detail of the original that is kept: the Fortran keeps the daily-Ap function and the
 * 3-hour ap function of the LAST G(L) evaluation in a common block and the reduced expansion
 * GLOB7S (temperature nodes below 123 km) reads them from there; this implementation evaluates
 * the expansions in the same order, so those two values are the same. The first evaluation of
 * every call recomputes them, so a call never depends on a previous one. Below 62.5 km the
 * Fortran evaluates only N2 in the thermosphere part (mass 28, as GTD7 asks); so does this one.
 *
 * Pure computation, no I/O. An instance holds scratch arrays (not re-entrant, but JavaScript
 * runs one call at a time); `nrlmsise00()` is the one-shot form.
 */
import { PAVGM, PD, PDL, PDM, PMA, PS, PT, PTL, PTM } from './nrlmsise00-data';

/** Inputs of one model evaluation (units in the names; see the file comment for the conventions). */
export interface NrlmsiseInput {
  /** Day of year, 1–366 (fractional allowed; the year is not used). */
  dayOfYear: number;
  /** Universal time, seconds of the day. */
  utSeconds: number;
  /** Geodetic altitude, km. */
  altitudeKm: number;
  /** Geodetic latitude, deg. */
  latitudeDeg: number;
  /** Geodetic (east) longitude, deg. */
  longitudeDeg: number;
  /** Local apparent solar time, h (the model suggests utSeconds/3600 + longitudeDeg/15). */
  localSolarTimeH: number;
  /** 81-day average of F10.7 centred on the day, sfu, at the Earth's distance. */
  f107AvgSfu: number;
  /** Daily F10.7 of the previous day, sfu, at the Earth's distance. */
  f107PrevDaySfu: number;
  /** Daily Ap. */
  apDaily: number;
  /**
   * The 7-element ap history (daily Ap; 3-h ap now, 3, 6, 9 h before; means of the eight 3-h
   * values 12–33 h and 36–57 h before), used when switch 9 is −1 (then required).
   */
  apHistory?: ArrayLike<number>;
}

/** Output of one evaluation: number densities per m³, mass density kg/m³, temperatures K. */
export interface NrlmsiseOutput {
  heM3: number;
  oM3: number;
  n2M3: number;
  o2M3: number;
  arM3: number;
  hM3: number;
  nM3: number;
  /** Anomalous oxygen (hot O, O⁺), per m³. */
  anomalousOM3: number;
  /** Total mass density, kg/m³: without anomalous O (GTD7) or with it (GTD7D, the one for drag). */
  densityKgM3: number;
  /** Exospheric temperature T∞, K (the global average below 123.435 km). */
  exosphericTempK: number;
  /** Temperature at the altitude, K. */
  temperatureK: number;
}

/** All 23 switches on (index = switch number; index 0 unused). */
export const NRLMSISE_SWITCHES_ON: readonly number[] = Object.freeze(new Array<number>(24).fill(1));

/** Switches all on except the given ones, e.g. `nrlmsiseSwitches({ 9: -1 })` for the ap history. */
export function nrlmsiseSwitches(changes: Record<number, number> = {}): number[] {
  const sv = new Array<number>(24).fill(1);
  for (const [k, v] of Object.entries(changes)) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 1 || i > 23) throw new RangeError(`nrlmsise00: switch number ${k} is not 1–23`);
    sv[i] = v;
  }
  return sv;
}

// Constants of the model, with the values (and precision) its Fortran uses.
/** Degrees → radians, as written in the model (1.74533E-2). */
const DGTR = 1.74533e-2;
/** Day of year → radians of the annual cycle, 2π/365 as written in the model (1.72142E-2). */
const DR = 1.72142e-2;
/** Local-time hours → radians (0.2618 ≈ π/12). */
const HR = 0.2618;
/** UT seconds → radians (7.2722E-5 ≈ 2π/86400). */
const SR = 7.2722e-5;
/** Gas constant in the model's units (831.4): scale height km = RGAS·T/(g·M) with g in cm/s². */
const RGAS = 831.4;
/** Atomic mass unit, g, as the model writes it (1.66E-24). */
const AMU_G = 1.66e-24;
/** Thermosphere/lower-atmosphere boundary and the bottom of the mixing transition, km. */
const ZN2 = [72.5, 55, 45, 32.5] as const;
const ZN3 = [32.5, 20, 15, 10, 0] as const;
const ZMIX_KM = 62.5;
/** Altitudes above which each species' turbopause/chemistry terms are skipped (Fortran ALTL): He, O, N2, O2, Ar, H, N. */
const ALTL = [200, 300, 160, 250, 240, 450, 320, 450] as const;
/** Thermal-diffusion factors α: He, O, N2, O2, Ar, (unused), H, N, anomalous O. */
const ALPHA = [-0.38, 0, 0, 0, 0.17, 0, -0.38, 0, 0] as const;

/** A validation failure of the model's inputs; the message names the input. */
export class NrlmsiseInputError extends RangeError {}

/** A finite number, or an error naming the input (a module function: no closure per call on the hot path). */
function num(key: keyof NrlmsiseInput, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new NrlmsiseInputError(`nrlmsise00: input.${key} must be a finite number, got ${String(v)}`);
  return v;
}

export class Nrlmsise00 {
  // switches (Fortran SW, SWC), index = switch number
  private readonly sw = new Float64Array(26);
  private readonly swc = new Float64Array(26);

  // gravity at the latitude (cm/s²) and effective Earth radius (km), Fortran GLATF
  private gsurf = 0;
  private re = 0;

  // per-call terms of the G(L) expansions (Fortran COMMON/LPOLY)
  private l10 = 0; private l20 = 0; private l30 = 0; private l40 = 0; private l50 = 0; private l60 = 0;
  private l11 = 0; private l21 = 0; private l31 = 0; private l41 = 0; private l51 = 0; private l61 = 0;
  private l22 = 0; private l32 = 0; private l42 = 0; private l52 = 0; private l62 = 0; private l72 = 0;
  private l33 = 0; private l43 = 0; private l53 = 0; private l63 = 0;
  private stloc = 0; private ctloc = 0; private s2tloc = 0; private c2tloc = 0; private s3tloc = 0; private c3tloc = 0;
  private cosLon = 0; private sinLon = 0;
  private day = 0; private df = 0; private dfa = 0;
  private lat = 0; private lon = 0; private sec = 0; private tloc = 0; private f107a = 0;
  private apDailyV = 0;
  private readonly aph = new Float64Array(7);
  /** Daily-Ap function and 3-hour ap function of the last GLOBE7 evaluation (see the file comment). */
  private apdf = 0;
  private apt = 0;

  // thermosphere profile of the current call
  private tinf = 0;
  private tlb = 0;
  private s = 0;
  /** Lower-thermosphere nodes (Fortran ZN1, TN1, TGN1); node 0 is set per profile by densu. */
  private readonly zn1 = new Float64Array([123.435, 110, 100, 90, 72.5]);
  private readonly tn1 = new Float64Array(5);
  private readonly tgn1 = new Float64Array(2);
  private readonly tn2 = new Float64Array(4);
  private readonly tgn2 = new Float64Array(2);
  private readonly tn3 = new Float64Array(5);
  private readonly tgn3 = new Float64Array(2);
  /** Mixed N2 density at the altitude of the thermosphere part (used below 72.5 km), cm⁻³. */
  private dm28 = 0;
  /** Temperature written by the last densu/densm call, K. */
  private tz = 0;

  // spline scratch
  private readonly xs = new Float64Array(5);
  private readonly ys = new Float64Array(5);
  private readonly y2 = new Float64Array(5);
  private readonly u = new Float64Array(5);

  /** Densities of the thermosphere part, cm⁻³: He, O, N2, O2, Ar, (total), H, N, anomalous O. */
  private readonly ds = new Float64Array(9);
  private readonly d = new Float64Array(9);

  /** @param switches index = switch number 1–23 (index 0 ignored), values −1 (switch 9 only), 0, 1, 2; default all on. */
  constructor(switches: ArrayLike<number> = NRLMSISE_SWITCHES_ON) {
    if (switches.length < 24 || switches.length > 26) throw new NrlmsiseInputError(`nrlmsise00: switches must have 24 entries (index = switch number 1–23, index 0 unused), got ${switches.length}`);
    for (let i = 1; i <= 23; i++) {
      const v = switches[i];
      if (!(v === 0 || v === 1 || v === 2 || (v === -1 && i === 9))) throw new NrlmsiseInputError(`nrlmsise00: switches[${i}] = ${String(v)}: must be 0, 1 or 2${i === 9 ? ' or −1 (3-hour ap history)' : ''}`);
      // Fortran TSELEC: SW = MOD(SV, 2) (sign of SV kept), SWC = 1 when |SV| is 1 or 2
      this.sw[i] = v % 2;
      this.swc[i] = Math.abs(v) === 1 || Math.abs(v) === 2 ? 1 : 0;
    }
  }

  /** True when switch 9 is −1: the 7-element ap history is used. */
  get usesApHistory(): boolean {
    return this.sw[9] === -1;
  }

  /** GTD7: densities and temperatures; the total mass density leaves anomalous oxygen out. */
  gtd7(input: NrlmsiseInput, out?: NrlmsiseOutput): NrlmsiseOutput {
    this.evaluate(input);
    return this.output(false, out);
  }

  /** GTD7D: as gtd7, but the total mass density includes anomalous oxygen (the effective density for drag). */
  gtd7d(input: NrlmsiseInput, out?: NrlmsiseOutput): NrlmsiseOutput {
    this.evaluate(input);
    return this.output(true, out);
  }

  /** The GTD7D total mass density alone, kg/m³ (the drag force's call: no output object). */
  densityKgM3(input: NrlmsiseInput): number {
    this.evaluate(input);
    return this.massDensityGCm3(true) * 1000;
  }

  private output(withAnomalousO: boolean, out?: NrlmsiseOutput): NrlmsiseOutput {
    const d = this.d;
    const o = out ?? ({} as NrlmsiseOutput);
    o.heM3 = d[0] * 1e6;
    o.oM3 = d[1] * 1e6;
    o.n2M3 = d[2] * 1e6;
    o.o2M3 = d[3] * 1e6;
    o.arM3 = d[4] * 1e6;
    o.hM3 = d[6] * 1e6;
    o.nM3 = d[7] * 1e6;
    o.anomalousOM3 = d[8] * 1e6;
    o.densityKgM3 = this.massDensityGCm3(withAnomalousO) * 1000;
    o.exosphericTempK = this.tinf;
    o.temperatureK = this.tz;
    return o;
  }

  /** Σ mᵢ nᵢ, g/cm³ (masses in amu as the model weighs them: He 4, O 16, N2 28, O2 32, Ar 40, H 1, N 14, anomalous O 16). */
  private massDensityGCm3(withAnomalousO: boolean): number {
    const d = this.d;
    return AMU_G * (4 * d[0] + 16 * d[1] + 28 * d[2] + 32 * d[3] + 40 * d[4] + d[6] + 14 * d[7] + (withAnomalousO ? 16 * d[8] : 0));
  }

  private validate(input: NrlmsiseInput): void {
    const doy = num('dayOfYear', input.dayOfYear);
    if (doy < 0 || doy > 367) throw new NrlmsiseInputError(`nrlmsise00: input.dayOfYear ${doy} is outside 1–366`);
    num('utSeconds', input.utSeconds);
    num('altitudeKm', input.altitudeKm);
    const lat = num('latitudeDeg', input.latitudeDeg);
    if (Math.abs(lat) > 90) throw new NrlmsiseInputError(`nrlmsise00: input.latitudeDeg ${lat} is outside −90…90`);
    num('longitudeDeg', input.longitudeDeg);
    num('localSolarTimeH', input.localSolarTimeH);
    if (num('f107AvgSfu', input.f107AvgSfu) <= 0) throw new NrlmsiseInputError(`nrlmsise00: input.f107AvgSfu must be > 0, got ${input.f107AvgSfu}`);
    if (num('f107PrevDaySfu', input.f107PrevDaySfu) <= 0) throw new NrlmsiseInputError(`nrlmsise00: input.f107PrevDaySfu must be > 0, got ${input.f107PrevDaySfu}`);
    if (num('apDaily', input.apDaily) < 0) throw new NrlmsiseInputError(`nrlmsise00: input.apDaily must be ≥ 0, got ${input.apDaily}`);
    if (this.sw[9] === -1) {
      const h = input.apHistory;
      if (!h || h.length !== 7) throw new NrlmsiseInputError(`nrlmsise00: switch 9 = −1 needs input.apHistory with 7 values, got ${h ? h.length : 'none'}`);
      for (let i = 0; i < 7; i++) if (typeof h[i] !== 'number' || !Number.isFinite(h[i]) || h[i] < 0) throw new NrlmsiseInputError(`nrlmsise00: input.apHistory[${i}] must be a number ≥ 0, got ${String(h[i])}`);
    }
  }

  /** GTD7 in the model's cgs units, into this.d (cm⁻³), this.tinf, this.tz. */
  private evaluate(input: NrlmsiseInput): void {
    this.validate(input);
    const sw = this.sw;
    const alt = input.altitudeKm;
    this.setTerms(input);
    // latitude variation of gravity (none with switch 2 off: 45°)
    this.glatf(sw[2] === 0 ? 45 : input.latitudeDeg);

    // thermosphere part at max(alt, 72.5 km); below the mixing altitude only N2 is needed
    const altt = Math.max(alt, ZN2[0]);
    this.gts7(altt, !(alt < ZMIX_KM));
    const d = this.d;
    const ds = this.ds;
    if (alt >= ZN2[0]) {
      d.set(ds);
      return;
    }

    // lower mesosphere / upper stratosphere nodes (72.5 … 32.5 km)
    const tn1 = this.tn1;
    const tn2 = this.tn2;
    const tgn2 = this.tgn2;
    const tn3 = this.tn3;
    const tgn3 = this.tgn3;
    tgn2[0] = this.tgn1[1];
    tn2[0] = tn1[4];
    tn2[1] = (PMA[0][0] * PAVGM[0]) / (1 - sw[20] * this.glob7s(PMA[0]));
    tn2[2] = (PMA[1][0] * PAVGM[1]) / (1 - sw[20] * this.glob7s(PMA[1]));
    tn2[3] = (PMA[2][0] * PAVGM[2]) / (1 - sw[20] * sw[22] * this.glob7s(PMA[2]));
    tgn2[1] = (PAVGM[8] * PMA[9][0] * (1 + sw[20] * sw[22] * this.glob7s(PMA[9])) * tn2[3] * tn2[3]) / (PMA[2][0] * PAVGM[2]) ** 2;
    tn3[0] = tn2[3];
    if (alt < ZN3[0]) {
      // lower stratosphere and troposphere nodes (32.5 … 0 km)
      tgn3[0] = tgn2[1];
      tn3[1] = (PMA[3][0] * PAVGM[3]) / (1 - sw[22] * this.glob7s(PMA[3]));
      tn3[2] = (PMA[4][0] * PAVGM[4]) / (1 - sw[22] * this.glob7s(PMA[4]));
      tn3[3] = (PMA[5][0] * PAVGM[5]) / (1 - sw[22] * this.glob7s(PMA[5]));
      tn3[4] = (PMA[6][0] * PAVGM[6]) / (1 - sw[22] * this.glob7s(PMA[6]));
      tgn3[1] = (PMA[7][0] * PAVGM[7] * (1 + sw[22] * this.glob7s(PMA[7])) * tn3[4] * tn3[4]) / (PMA[6][0] * PAVGM[6]) ** 2;
    }

    // linear transition to full mixing between 72.5 and 62.5 km
    const dmc = alt > ZMIX_KM ? 1 - (ZN2[0] - alt) / (ZN2[0] - ZMIX_KM) : 0;
    const dz28 = ds[2];
    const xmm = PDM[2][4];
    d.fill(0);
    let dmr = ds[2] / this.dm28 - 1;
    d[2] = this.densm(alt, this.dm28, xmm) * (1 + dmr * dmc);
    // He, O2, Ar: the ground mixing ratios PDM(2, ·), departing toward the thermosphere's above 62.5 km
    dmr = ds[0] / (dz28 * PDM[0][1]) - 1;
    d[0] = d[2] * PDM[0][1] * (1 + dmr * dmc);
    dmr = ds[3] / (dz28 * PDM[3][1]) - 1;
    d[3] = d[2] * PDM[3][1] * (1 + dmr * dmc);
    dmr = ds[4] / (dz28 * PDM[4][1]) - 1;
    d[4] = d[2] * PDM[4][1] * (1 + dmr * dmc);
    // O, H, N and anomalous O are zero below 72.5 km; the temperature is densm's
  }

  /** Per-call terms of the expansions: Legendre functions of latitude, local-time harmonics, F10.7 differences, ap. */
  private setTerms(input: NrlmsiseInput): void {
    const lat = input.latitudeDeg;
    this.lat = lat;
    this.lon = input.longitudeDeg;
    this.sec = input.utSeconds;
    this.tloc = input.localSolarTimeH;
    this.day = input.dayOfYear;
    this.f107a = input.f107AvgSfu;
    this.df = input.f107PrevDaySfu - input.f107AvgSfu;
    this.dfa = input.f107AvgSfu - 150;
    this.apDailyV = input.apDaily;
    if (this.sw[9] === -1) for (let i = 0; i < 7; i++) this.aph[i] = input.apHistory![i];
    this.g0p25 = NaN; // the history may have changed: recompute its g0 values

    // associated Legendre functions P_n^m(sin φ), unnormalized, as the model defines them (Fortran PLG(n+1, m+1))
    const c = Math.sin(lat * DGTR);
    const s = Math.cos(lat * DGTR);
    const c2 = c * c;
    const c4 = c2 * c2;
    const s2 = s * s;
    this.l10 = c;
    this.l20 = 0.5 * (3 * c2 - 1);
    this.l30 = 0.5 * (5 * c * c2 - 3 * c);
    this.l40 = (35 * c4 - 30 * c2 + 3) / 8;
    this.l50 = (63 * c2 * c2 * c - 70 * c2 * c + 15 * c) / 8;
    this.l60 = (11 * c * this.l50 - 5 * this.l40) / 6;
    this.l11 = s;
    this.l21 = 3 * c * s;
    this.l31 = 1.5 * (5 * c2 - 1) * s;
    this.l41 = 2.5 * (7 * c2 * c - 3 * c) * s;
    this.l51 = 1.875 * (21 * c4 - 14 * c2 + 1) * s;
    this.l61 = (11 * c * this.l51 - 6 * this.l41) / 5;
    this.l22 = 3 * s2;
    this.l32 = 15 * s2 * c;
    this.l42 = 7.5 * (7 * c2 - 1) * s2;
    this.l52 = 3 * c * this.l42 - 2 * this.l32;
    this.l62 = (11 * c * this.l52 - 7 * this.l42) / 4;
    this.l72 = (13 * c * this.l62 - 8 * this.l52) / 5;
    this.l33 = 15 * s2 * s;
    this.l43 = 105 * s2 * s * c;
    this.l53 = (9 * c * this.l43 - 7 * this.l33) / 2;
    this.l63 = (11 * c * this.l53 - 8 * this.l43) / 3;

    const tl = this.tloc;
    this.stloc = Math.sin(HR * tl);
    this.ctloc = Math.cos(HR * tl);
    this.s2tloc = Math.sin(2 * HR * tl);
    this.c2tloc = Math.cos(2 * HR * tl);
    this.s3tloc = Math.sin(3 * HR * tl);
    this.c3tloc = Math.cos(3 * HR * tl);
    this.cosLon = Math.cos(DGTR * this.lon);
    this.sinLon = Math.sin(DGTR * this.lon);
  }

  /** Gravity at the surface (cm/s²) and effective Earth radius (km) at a latitude (Fortran GLATF). */
  private glatf(latDeg: number): void {
    const c2 = Math.cos(2 * DGTR * latDeg);
    this.gsurf = 980.616 * (1 - 0.0026373 * c2);
    this.re = ((2 * this.gsurf) / (3.085462e-6 + 2.27e-9 * c2)) * 1e-5;
  }

  /** Geopotential height difference ζ(z, zl) = (z − zl)(re + zl)/(re + z), km. */
  private zeta(z: number, zl: number): number {
    return ((z - zl) * (this.re + zl)) / (this.re + z);
  }

  /** Magnetic-activity function of a 3-hour ap (Picone et al. 2002 / Hedin 1987 eq. A24d), with p25 = |P(25)| ≥ 1e-4, p26 = P(26). */
  private static g0(a: number, p25: number, p26: number): number {
    return a - 4 + (p26 - 1) * (a - 4 + (Math.exp(-p25 * (a - 4)) - 1) / p25);
  }

  /**
   * G(L), the expansion of the upper-thermosphere parameters (Fortran GLOBE7; Hedin 1987 eqs.
   * A22–A24): F10.7, time-independent, annual, semiannual, diurnal, semidiurnal, terdiurnal,
   * magnetic activity, longitude, UT and mixed terms. p is a 150-coefficient column, P(k) = p[k − 1].
   * Updates this.apdf (daily ap) or this.apt (ap history) as the Fortran's common block does.
   */
  private globe7(p: readonly number[]): number {
    const sw = this.sw;
    const swc = this.swc;
    const day = this.day;
    const df = this.df;
    const dfa = this.dfa;
    const cd14 = Math.cos(DR * (day - p[13]));
    const cd18 = Math.cos(2 * DR * (day - p[17]));
    const cd32 = Math.cos(DR * (day - p[31]));
    const cd39 = Math.cos(2 * DR * (day - p[38]));
    const { l10, l20, l30, l40, l50, l60, l11, l21, l31, l41, l51, l22, l32, l42, l52, l33, l43, l63 } = this;

    // F10.7 effect
    const t1 = p[19] * df * (1 + p[59] * dfa) + p[20] * df * df + p[21] * dfa + p[29] * dfa * dfa;
    const f1 = 1 + (p[47] * dfa + p[19] * df + p[20] * df * df) * swc[1];
    const f2 = 1 + (p[49] * dfa + p[19] * df + p[20] * df * df) * swc[1];
    // time independent
    const t2 = p[1] * l20 + p[2] * l40 + p[22] * l60 + p[14] * l20 * dfa * swc[1] + p[26] * l10;
    // symmetrical annual, symmetrical semiannual, asymmetrical annual, asymmetrical semiannual
    const t3 = p[18] * cd32;
    const t4 = (p[15] + p[16] * l20) * cd18;
    const t5 = f1 * (p[9] * l10 + p[10] * l30) * cd14;
    const t6 = p[37] * l10 * cd39;
    // diurnal
    let t7 = 0;
    if (sw[7] !== 0) {
      const t71 = p[11] * l21 * cd14 * swc[5];
      const t72 = p[12] * l21 * cd14 * swc[5];
      t7 = f2 * ((p[3] * l11 + p[4] * l31 + p[27] * l51 + t71) * this.ctloc + (p[6] * l11 + p[7] * l31 + p[28] * l51 + t72) * this.stloc);
    }
    // semidiurnal
    let t8 = 0;
    if (sw[8] !== 0) {
      const t81 = (p[23] * l32 + p[35] * l52) * cd14 * swc[5];
      const t82 = (p[33] * l32 + p[36] * l52) * cd14 * swc[5];
      t8 = f2 * ((p[5] * l22 + p[41] * l42 + t81) * this.c2tloc + (p[8] * l22 + p[42] * l42 + t82) * this.s2tloc);
    }
    // terdiurnal
    let t14 = 0;
    if (sw[14] !== 0) {
      t14 = f2 * ((p[39] * l33 + (p[93] * l43 + p[46] * l63) * cd14 * swc[5]) * this.s3tloc + (p[40] * l33 + (p[94] * l43 + p[48] * l63) * cd14 * swc[5]) * this.c3tloc);
    }
    // magnetic activity: daily Ap, or the 3-hour ap history (switch 9 = −1)
    const history = sw[9] === -1;
    let t9 = 0;
    if (!history) {
      const apd = this.apDailyV - 4;
      const p44 = p[43] < 0 ? 1e-5 : p[43];
      const p45 = p[44];
      this.apdf = apd + (p45 - 1) * (apd + (Math.exp(-p44 * apd) - 1) / p44);
      if (sw[9] !== 0) {
        t9 =
          this.apdf *
          (p[32] + p[45] * l20 + p[34] * l40 + (p[100] * l10 + p[101] * l30 + p[102] * l50) * cd14 * swc[5] + (p[121] * l11 + p[122] * l31 + p[123] * l51) * swc[7] * Math.cos(HR * (this.tloc - p[124])));
      }
    } else if (p[51] !== 0) {
      let exp1 = Math.exp((-10800 * Math.abs(p[51])) / (1 + p[138] * (45 - Math.abs(this.lat))));
      if (exp1 > 0.99999) exp1 = 0.99999;
      // the Fortran raises P(25) to 1e-4 when smaller, then uses |P(25)|
      this.apt = this.sg0(exp1, p[24] < 1e-4 ? 1e-4 : p[24], p[25]);
      t9 = this.apt * (p[50] + p[96] * l20 + p[54] * l40 + (p[125] * l10 + p[126] * l30 + p[127] * l50) * cd14 * swc[5] + (p[128] * l11 + p[129] * l31 + p[130] * l51) * swc[7] * Math.cos(HR * (this.tloc - p[131])));
    }
    // longitude, UT, mixed UT/longitude/magnetic activity
    let t11 = 0;
    let t12 = 0;
    let t13 = 0;
    if (sw[10] !== 0 && this.lon > -1000) {
      const cd = this.cosLon;
      const sd = this.sinLon;
      if (sw[11] !== 0) {
        t11 =
          (1 + p[80] * dfa * swc[1]) *
          ((p[64] * l21 + p[65] * l41 + p[66] * this.l61 + p[103] * l11 + p[104] * l31 + p[105] * l51 + swc[5] * (p[109] * l11 + p[110] * l31 + p[111] * l51) * cd14) * cd +
            (p[90] * l21 + p[91] * l41 + p[92] * this.l61 + p[106] * l11 + p[107] * l31 + p[108] * l51 + swc[5] * (p[112] * l11 + p[113] * l31 + p[114] * l51) * cd14) * sd);
      }
      if (sw[12] !== 0) {
        t12 = (1 + p[95] * l10) * (1 + p[81] * dfa * swc[1]) * (1 + p[119] * l10 * swc[5] * cd14) * ((p[68] * l10 + p[69] * l30 + p[70] * l50) * Math.cos(SR * (this.sec - p[71])));
        t12 += swc[11] * (p[76] * l32 + p[77] * l52 + p[78] * this.l72) * Math.cos(SR * (this.sec - p[79]) + 2 * DGTR * this.lon) * (1 + p[137] * dfa * swc[1]);
      }
      if (sw[13] !== 0) {
        if (!history) {
          const a = this.apdf;
          t13 =
            a * swc[11] * (1 + p[120] * l10) * ((p[60] * l21 + p[61] * l41 + p[62] * this.l61) * Math.cos(DGTR * (this.lon - p[63]))) +
            a * swc[11] * swc[5] * (p[115] * l11 + p[116] * l31 + p[117] * l51) * cd14 * Math.cos(DGTR * (this.lon - p[118])) +
            a * swc[12] * (p[83] * l10 + p[84] * l30 + p[85] * l50) * Math.cos(SR * (this.sec - p[75]));
        } else if (p[51] !== 0) {
          const a = this.apt;
          t13 =
            a * swc[11] * (1 + p[132] * l10) * ((p[52] * l21 + p[98] * l41 + p[67] * this.l61) * Math.cos(DGTR * (this.lon - p[97]))) +
            a * swc[11] * swc[5] * (p[133] * l11 + p[134] * l31 + p[135] * l51) * cd14 * Math.cos(DGTR * (this.lon - p[136])) +
            a * swc[12] * (p[55] * l10 + p[56] * l30 + p[57] * l50) * Math.cos(SR * (this.sec - p[58]));
        }
      }
    }
    // Σ |SW(i)|·T(i), i = 1 … 14 (T(10) is never set)
    return (
      p[30] +
      Math.abs(sw[1]) * t1 +
      Math.abs(sw[2]) * t2 +
      Math.abs(sw[3]) * t3 +
      Math.abs(sw[4]) * t4 +
      Math.abs(sw[5]) * t5 +
      Math.abs(sw[6]) * t6 +
      Math.abs(sw[7]) * t7 +
      Math.abs(sw[8]) * t8 +
      Math.abs(sw[9]) * t9 +
      Math.abs(sw[11]) * t11 +
      Math.abs(sw[12]) * t12 +
      Math.abs(sw[13]) * t13 +
      Math.abs(sw[14]) * t14
    );
  }

  /** g0 of the history values 1–6 for (p25, p26), kept while they do not change (all columns share them). */
  private readonly g0h = new Float64Array(7);
  private g0p25 = NaN;
  private g0p26 = NaN;

  /**
   * Weighted 3-hour ap history (Hedin 1987 eqs. A24a–c): exponentially decaying weights ex^k over
   * the 3-hour values and the two 24-hour means, normalized by their sum.
   */
  private sg0(ex: number, p25: number, p26: number): number {
    const g = this.g0h;
    if (p25 !== this.g0p25 || p26 !== this.g0p26) {
      for (let i = 1; i < 7; i++) g[i] = Nrlmsise00.g0(this.aph[i], p25, p26);
      this.g0p25 = p25;
      this.g0p26 = p26;
    }
    const ex2 = ex * ex;
    const ex3 = ex2 * ex;
    const ex4 = ex2 * ex2;
    const ex8 = ex4 * ex4;
    const ex12 = ex8 * ex4;
    const ex19 = ex12 * ex4 * ex3;
    const sumex = 1 + ((1 - ex19) / (1 - ex)) * Math.sqrt(ex);
    return (g[1] + (g[2] * ex + g[3] * ex2 + g[4] * ex3 + ((g[5] * ex4 + g[6] * ex12) * (1 - ex8)) / (1 - ex))) / sumex;
  }

  /** The reduced expansion for the lower-atmosphere temperature nodes (Fortran GLOB7S); p is a 100-coefficient column. */
  private glob7s(p: readonly number[]): number {
    const sw = this.sw;
    const swc = this.swc;
    const day = this.day;
    const cd32 = Math.cos(DR * (day - p[31]));
    const cd18 = Math.cos(2 * DR * (day - p[17]));
    const cd14 = Math.cos(DR * (day - p[13]));
    const cd39 = Math.cos(2 * DR * (day - p[38]));
    const { l10, l20, l30, l40, l50, l60, l11, l21, l31, l41, l51, l61, l22, l32, l42, l52, l33 } = this;

    const t1 = p[21] * this.dfa;
    const t2 = p[1] * l20 + p[2] * l40 + p[22] * l60 + p[26] * l10 + p[14] * l30 + p[59] * l50;
    const t3 = (p[18] + p[47] * l20 + p[29] * l40) * cd32;
    const t4 = (p[15] + p[16] * l20 + p[30] * l40) * cd18;
    const t5 = (p[9] * l10 + p[10] * l30 + p[20] * l50) * cd14;
    const t6 = p[37] * l10 * cd39;
    let t7 = 0;
    if (sw[7] !== 0) {
      const t71 = p[11] * l21 * cd14 * swc[5];
      const t72 = p[12] * l21 * cd14 * swc[5];
      t7 = (p[3] * l11 + p[4] * l31 + t71) * this.ctloc + (p[6] * l11 + p[7] * l31 + t72) * this.stloc;
    }
    let t8 = 0;
    if (sw[8] !== 0) {
      const t81 = (p[23] * l32 + p[35] * l52) * cd14 * swc[5];
      const t82 = (p[33] * l32 + p[36] * l52) * cd14 * swc[5];
      t8 = (p[5] * l22 + p[41] * l42 + t81) * this.c2tloc + (p[8] * l22 + p[42] * l42 + t82) * this.s2tloc;
    }
    const t14 = sw[14] !== 0 ? p[39] * l33 * this.s3tloc + p[40] * l33 * this.c3tloc : 0;
    let t9 = 0;
    if (sw[9] === 1) t9 = this.apdf * (p[32] + p[45] * l20 * swc[2]);
    else if (sw[9] === -1) t9 = p[50] * this.apt + p[96] * l20 * this.apt * swc[2];
    let t11 = 0;
    if (sw[10] !== 0 && sw[11] !== 0 && this.lon > -1000) {
      t11 =
        (1 + l10 * (p[80] * swc[5] * Math.cos(DR * (day - p[81])) + p[85] * swc[6] * Math.cos(2 * DR * (day - p[86]))) + p[83] * swc[3] * Math.cos(DR * (day - p[84])) + p[87] * swc[4] * Math.cos(2 * DR * (day - p[88]))) *
        ((p[64] * l21 + p[65] * l41 + p[66] * l61 + p[74] * l11 + p[75] * l31 + p[76] * l51) * this.cosLon + (p[90] * l21 + p[91] * l41 + p[92] * l61 + p[77] * l11 + p[78] * l31 + p[79] * l51) * this.sinLon);
    }
    return (
      Math.abs(sw[1]) * t1 +
      Math.abs(sw[2]) * t2 +
      Math.abs(sw[3]) * t3 +
      Math.abs(sw[4]) * t4 +
      Math.abs(sw[5]) * t5 +
      Math.abs(sw[6]) * t6 +
      Math.abs(sw[7]) * t7 +
      Math.abs(sw[8]) * t8 +
      Math.abs(sw[9]) * t9 +
      Math.abs(sw[11]) * t11 +
      Math.abs(sw[14]) * t14
    );
  }

  /**
   * Thermosphere part (Fortran GTS7) at alt ≥ 72.5 km: T∞, T_lb, S and the lower-thermosphere
   * nodes, then the species densities into this.ds (cm⁻³). `allSpecies` false: N2 only.
   */
  private gts7(alt: number, allSpecies: boolean): void {
    const sw = this.sw;
    const zn1 = this.zn1;
    const za = PDL[1][15];
    zn1[0] = za;
    const ds = this.ds;
    ds.fill(0);

    // exospheric temperature (global average below za), temperature gradient, lower-boundary temperature
    this.tinf = alt > za ? PTM[0] * PT[0] * (1 + sw[16] * this.globe7(PT)) : PTM[0] * PT[0];
    const g0 = alt > zn1[4] ? PTM[3] * PS[0] * (1 + sw[19] * this.globe7(PS)) : PTM[3] * PS[0];
    this.tlb = PTM[1] * (1 + sw[17] * this.globe7(PD[3])) * PD[3][0];
    this.s = g0 / (this.tinf - this.tlb);
    // lower-thermosphere temperature nodes (their variations do not matter for densities above 300 km)
    const tn1 = this.tn1;
    if (alt < 300) {
      tn1[1] = (PTM[6] * PTL[0][0]) / (1 - sw[18] * this.glob7s(PTL[0]));
      tn1[2] = (PTM[2] * PTL[1][0]) / (1 - sw[18] * this.glob7s(PTL[1]));
      tn1[3] = (PTM[7] * PTL[2][0]) / (1 - sw[18] * this.glob7s(PTL[2]));
      tn1[4] = (PTM[4] * PTL[3][0]) / (1 - sw[18] * sw[20] * this.glob7s(PTL[3]));
      this.tgn1[1] = (PTM[8] * PMA[8][0] * (1 + sw[18] * sw[20] * this.glob7s(PMA[8])) * tn1[4] * tn1[4]) / (PTM[4] * PTL[3][0]) ** 2;
    } else {
      tn1[1] = PTM[6] * PTL[0][0];
      tn1[2] = PTM[2] * PTL[1][0];
      tn1[3] = PTM[7] * PTL[2][0];
      tn1[4] = PTM[4] * PTL[3][0];
      this.tgn1[1] = (PTM[8] * PMA[8][0] * tn1[4] * tn1[4]) / (PTM[4] * PTL[3][0]) ** 2;
    }

    const z = alt;
    const xmm = PDM[2][4];
    const sw15 = sw[15] !== 0;
    // turbopause height variation
    const zhf = PDL[1][24] * (1 + sw[5] * PDL[0][24] * Math.sin(DGTR * this.lat) * Math.cos(DR * (this.day - PT[13])));

    // N2: diffusive density at z_lb and at the altitude, mixed density, net
    const g28 = sw[21] * this.globe7(PD[2]);
    const db28 = PDM[2][0] * Math.exp(g28) * PD[2][0];
    ds[2] = this.densu(z, db28, this.tinf, this.tlb, 28, ALPHA[2]);
    const zh28 = PDM[2][2] * zhf;
    const zhm28 = PDM[2][3] * PDL[1][5];
    const b28 = this.densu(zh28, db28, this.tinf, this.tlb, 28 - xmm, ALPHA[2] - 1);
    if (z <= ALTL[2] && sw15) {
      this.dm28 = this.densu(z, b28, this.tinf, this.tlb, xmm, ALPHA[2]);
      ds[2] = dnet(ds[2], this.dm28, zhm28, xmm, 28);
    } else if (!sw15 && z <= ALTL[2]) {
      // mixed N2 is still needed by the lower atmosphere (the Fortran would reuse a stale value)
      this.dm28 = this.densu(z, b28, this.tinf, this.tlb, xmm, ALPHA[2]);
    }
    if (!allSpecies) {
      this.densu(z, 1, this.tinf, this.tlb, 0, 0);
      return;
    }

    // He
    ds[0] = this.species(PD[0], PDM[0], 4, ALPHA[0], ALTL[0], z, xmm, zhm28, sw15);
    if (z <= ALTL[0] && sw15) {
      const b04 = this.bMix;
      // correction to the specified mixing ratio at the ground
      const rl = Math.log((b28 * PDM[0][1]) / b04);
      ds[0] *= ccor(z, rl, PDM[0][5] * PDL[1][1], PDM[0][4] * PDL[1][0]);
    }

    // O
    ds[1] = this.species(PD[1], PDM[1], 16, ALPHA[1], ALTL[1], z, xmm, zhm28, sw15);
    if (z <= ALTL[1] && sw15) {
      // departure from diffusive equilibrium near 150 km, with its F10.7 dependence (1999 form)
      const rl = PDM[1][1] * PDL[1][16] * (1 + sw[1] * PDL[0][23] * (this.f107a - 150));
      ds[1] *= ccor2(z, rl, PDM[1][5] * PDL[1][3], PDM[1][4] * PDL[1][2], PDM[1][5] * PDL[1][4]);
      // chemistry correction
      ds[1] *= ccor(z, PDM[1][3] * PDL[1][14], PDM[1][7] * PDL[1][13], PDM[1][6] * PDL[1][12]);
    }

    // O2
    ds[3] = this.species(PD[4], PDM[3], 32, ALPHA[3], ALTL[3], z, xmm, zhm28, sw15);
    if (sw15) {
      if (z <= ALTL[3]) {
        const rl = Math.log((b28 * PDM[3][1]) / this.bMix);
        ds[3] *= ccor(z, rl, PDM[3][5] * PDL[1][7], PDM[3][4] * PDL[1][6]);
      }
      // general departure from diffusive equilibrium above z_lb
      const rc32 = PDM[3][3] * PDL[1][23] * (1 + sw[1] * PDL[0][23] * (this.f107a - 150));
      ds[3] *= ccor2(z, rc32, PDM[3][7] * PDL[1][22], PDM[3][6] * PDL[1][21], PDM[3][7] * PDL[0][22]);
    }

    // Ar
    ds[4] = this.species(PD[5], PDM[4], 40, ALPHA[4], ALTL[4], z, xmm, zhm28, sw15);
    if (z <= ALTL[4] && sw15) {
      const rl = Math.log((b28 * PDM[4][1]) / this.bMix);
      ds[4] *= ccor(z, rl, PDM[4][5] * PDL[1][9], PDM[4][4] * PDL[1][8]);
    }

    // H
    ds[6] = this.species(PD[6], PDM[5], 1, ALPHA[6], ALTL[6], z, xmm, zhm28, sw15);
    if (z <= ALTL[6] && sw15) {
      const rl = Math.log((b28 * PDM[5][1] * Math.abs(PDL[1][17])) / this.bMix);
      ds[6] *= ccor(z, rl, PDM[5][5] * PDL[1][11], PDM[5][4] * PDL[1][10]);
      ds[6] *= ccor(z, PDM[5][3] * PDL[1][20], PDM[5][7] * PDL[1][19], PDM[5][6] * PDL[1][18]);
    }

    // N
    ds[7] = this.species(PD[7], PDM[6], 14, ALPHA[7], ALTL[7], z, xmm, zhm28, sw15);
    if (z <= ALTL[7] && sw15) {
      const rl = Math.log((b28 * PDM[6][1] * Math.abs(PDL[0][2])) / this.bMix);
      ds[7] *= ccor(z, rl, PDM[6][5] * PDL[0][1], PDM[6][4] * PDL[0][0]);
      ds[7] *= ccor(z, PDM[6][3] * PDL[0][5], PDM[6][7] * PDL[0][4], PDM[6][6] * PDL[0][3]);
    }

    // anomalous O: an isothermal (T = PDM(10,8)·PDL(7,1)) diffusive profile with a scale-height transition
    const g16h = sw[21] * this.globe7(PD[8]);
    const db16h = PDM[7][0] * Math.exp(g16h) * PD[8][0];
    const tho = PDM[7][9] * PDL[0][6];
    const dd = this.densu(z, db16h, tho, tho, 16, ALPHA[8]);
    const zsht = PDM[7][5];
    const zmho = PDM[7][4];
    const zsho = this.scaleHeightKm(zmho, 16, tho);
    ds[8] = dd * Math.exp((-zsht / zsho) * (Math.exp(-(z - zmho) / zsht) - 1));

    // temperature at the altitude, on the standard profile
    this.densu(z, 1, this.tinf, this.tlb, 0, 0);
  }

  /** Density at zh of the mixed profile of the last `species` call below its mixing altitude (for the ground mixing-ratio corrections). */
  private bMix = Number.NaN;

  /**
   * One species of GTS7: its diffusive density at z from the lower-boundary density
   * pdm[0]·exp(G(pd))·pd[0] and, below its mixing altitude `altl` (switch 15 on), the blend with
   * its fully mixed profile through zh = pdm[2] (DNET); this.bMix gets the mixed density at zh.
   */
  private species(pd: readonly number[], pdm: readonly number[], mass: number, alpha: number, altl: number, z: number, xmm: number, zhm28: number, sw15: boolean): number {
    const g = this.sw[21] * this.globe7(pd);
    const db = pdm[0] * Math.exp(g) * pd[0];
    let d = this.densu(z, db, this.tinf, this.tlb, mass, alpha);
    this.bMix = Number.NaN;
    if (z <= altl && sw15) {
      const b = this.densu(pdm[2], db, this.tinf, this.tlb, mass - xmm, alpha - 1);
      const dm = this.densu(z, b, this.tinf, this.tlb, xmm, 0);
      d = dnet(d, dm, zhm28, xmm, mass);
      this.bMix = b;
    }
    return d;
  }

  /** Scale height, km, of mass xm at temperature temp and altitude alt (Fortran SCALH). */
  private scaleHeightKm(altKm: number, xm: number, tempK: number): number {
    const g = this.gsurf / (1 + altKm / this.re) ** 2;
    return (RGAS * tempK) / (g * xm);
  }

  /**
   * Temperature and diffusive density profile of the thermosphere (Fortran DENSU): the Bates
   * profile above zn1[0], the spline in 1/T through the TN1 nodes below it (node 0 joins the
   * Bates profile with its value and gradient). Returns the density of mass xm at alt from dlb at
   * z_lb = PTM(6) (xm = 0: returns the temperature); this.tz gets the temperature.
   */
  private densu(alt: number, dlb: number, tinf: number, tlb: number, xm: number, alpha: number): number {
    const re = this.re;
    const zlb = PTM[5];
    const s2 = this.s;
    const zn1 = this.zn1;
    const za = zn1[0];
    let z = Math.max(alt, za);
    const zg2 = this.zeta(z, zlb);
    // Bates temperature
    const tt = tinf - (tinf - tlb) * Math.exp(-s2 * zg2);
    const ta = tt;
    let tz = tt;
    let density = tz;
    let x = 0;
    let z1 = 0;
    let t1 = 0;
    let zgdif = 0;
    const mn = 5;
    if (alt < za) {
      // temperature below za: spline in 1/T through the nodes, joined to the Bates profile at za
      const tn1 = this.tn1;
      const tgn1 = this.tgn1;
      tgn1[0] = (tinf - ta) * s2 * ((re + zlb) / (re + za)) ** 2;
      tn1[0] = ta;
      z = Math.max(alt, zn1[mn - 1]);
      z1 = zn1[0];
      const z2 = zn1[mn - 1];
      t1 = tn1[0];
      const t2 = tn1[mn - 1];
      const zg = this.zeta(z, z1);
      zgdif = this.zeta(z2, z1);
      for (let k = 0; k < mn; k++) {
        this.xs[k] = this.zeta(zn1[k], z1) / zgdif;
        this.ys[k] = 1 / tn1[k];
      }
      const yd1 = (-tgn1[0] / (t1 * t1)) * zgdif;
      const yd2 = (-tgn1[1] / (t2 * t2)) * zgdif * ((re + z2) / (re + z1)) ** 2;
      this.spline(mn, yd1, yd2);
      x = zg / zgdif;
      tz = 1 / this.splint(mn, x);
      density = tz;
    }
    this.tz = tz;
    if (xm === 0) return density;

    // density above za (and at za for the part below)
    let glb = this.gsurf / (1 + zlb / re) ** 2;
    const gamma = (xm * glb) / (s2 * RGAS * tinf);
    let expl = Math.exp(-s2 * gamma * zg2);
    if (expl > 50 || tt <= 0) expl = 50;
    density = dlb * (tlb / tt) ** (1 + alpha + gamma) * expl;
    if (alt >= za) return density;

    // density below za: hydrostatic integral of the spline temperature
    glb = this.gsurf / (1 + z1 / re) ** 2;
    const gamm = (xm * glb * zgdif) / RGAS;
    expl = gamm * this.splini(mn, x);
    if (expl > 50 || tz <= 0) expl = 50;
    return density * (t1 / tz) ** (1 + alpha) * Math.exp(-expl);
  }

  /**
   * One layer of DENSM: spline in 1/T through the nodes `zn` (temperatures `tn`, end gradients
   * `tgn`) evaluated at `z` (this.tz gets the temperature), and the density carried down from
   * its top by the hydrostatic integral of mass xm (xm = 0: temperature only).
   */
  private splineLayer(zn: readonly number[], tn: Float64Array, tgn: Float64Array, z: number, xm: number, density: number): number {
    const re = this.re;
    const mn = zn.length;
    const z1 = zn[0];
    const z2 = zn[mn - 1];
    const t1 = tn[0];
    const t2 = tn[mn - 1];
    const zg = this.zeta(z, z1);
    const zgdif = this.zeta(z2, z1);
    for (let k = 0; k < mn; k++) {
      this.xs[k] = this.zeta(zn[k], z1) / zgdif;
      this.ys[k] = 1 / tn[k];
    }
    const yd1 = (-tgn[0] / (t1 * t1)) * zgdif;
    const yd2 = (-tgn[1] / (t2 * t2)) * zgdif * ((re + z2) / (re + z1)) ** 2;
    this.spline(mn, yd1, yd2);
    const x = zg / zgdif;
    this.tz = 1 / this.splint(mn, x);
    if (xm === 0) return density;
    const glb = this.gsurf / (1 + z1 / re) ** 2;
    const gamm = (xm * glb * zgdif) / RGAS;
    let expl = gamm * this.splini(mn, x);
    if (expl > 50) expl = 50;
    return density * (t1 / this.tz) * Math.exp(-expl);
  }

  /**
   * Temperature and mixed density below 72.5 km (Fortran DENSM): splines in 1/T through the
   * TN2 nodes (72.5 → 32.5 km) and the TN3 nodes (32.5 → 0 km), hydrostatic integration of mass
   * xm from d0 at 72.5 km. this.tz gets the temperature.
   */
  private densm(alt: number, d0: number, xm: number): number {
    let density = d0;
    if (alt > ZN2[0]) return xm === 0 ? this.tz : density;
    // stratosphere/mesosphere: TN2 nodes, altitude clamped at the lowest node
    density = this.splineLayer(ZN2, this.tn2, this.tgn2, Math.max(alt, ZN2[ZN2.length - 1]), xm, density);
    if (alt > ZN3[0]) return xm === 0 ? this.tz : density;
    // troposphere/stratosphere: TN3 nodes
    density = this.splineLayer(ZN3, this.tn3, this.tgn3, alt, xm, density);
    return xm === 0 ? this.tz : density;
  }

  /**
   * Second derivatives of the cubic spline through (xs, ys)[0..n) with end slopes yp1, ypn
   * (the clamped spline of Press et al., Numerical Recipes §3.3, as the model uses it), into y2.
   */
  private spline(n: number, yp1: number, ypn: number): void {
    const x = this.xs;
    const y = this.ys;
    const y2 = this.y2;
    const u = this.u;
    if (yp1 > 0.99e30) {
      y2[0] = 0;
      u[0] = 0;
    } else {
      y2[0] = -0.5;
      u[0] = (3 / (x[1] - x[0])) * ((y[1] - y[0]) / (x[1] - x[0]) - yp1);
    }
    for (let i = 1; i < n - 1; i++) {
      const sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
      const p = sig * y2[i - 1] + 2;
      y2[i] = (sig - 1) / p;
      u[i] = ((6 * ((y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1]))) / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p;
    }
    let qn = 0;
    let un = 0;
    if (!(ypn > 0.99e30)) {
      qn = 0.5;
      un = (3 / (x[n - 1] - x[n - 2])) * (ypn - (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]));
    }
    y2[n - 1] = (un - qn * u[n - 2]) / (qn * y2[n - 2] + 1);
    for (let k = n - 2; k >= 0; k--) y2[k] = y2[k] * y2[k + 1] + u[k];
  }

  /** Value of the spline at x (bisection for the interval). */
  private splint(n: number, x: number): number {
    const xa = this.xs;
    let klo = 0;
    let khi = n - 1;
    while (khi - klo > 1) {
      const k = (khi + klo) >> 1;
      if (xa[k] > x) khi = k;
      else klo = k;
    }
    const h = xa[khi] - xa[klo];
    const a = (xa[khi] - x) / h;
    const b = (x - xa[klo]) / h;
    return a * this.ys[klo] + b * this.ys[khi] + (((a * a * a - a) * this.y2[klo] + (b * b * b - b) * this.y2[khi]) * h * h) / 6;
  }

  /** Integral of the spline from xs[0] to x. */
  private splini(n: number, x: number): number {
    const xa = this.xs;
    const ya = this.ys;
    const y2a = this.y2;
    let yi = 0;
    let klo = 0;
    let khi = 1;
    while (x > xa[klo] && khi < n) {
      const xx = khi < n - 1 ? Math.min(x, xa[khi]) : x;
      const h = xa[khi] - xa[klo];
      const a = (xa[khi] - xx) / h;
      const b = (xx - xa[klo]) / h;
      const a2 = a * a;
      const b2 = b * b;
      yi += ((1 - a2) * ya[klo] / 2 + (b2 * ya[khi]) / 2 + (((-(1 + a2 * a2) / 4 + a2 / 2) * y2a[klo] + (b2 * b2 / 4 - b2 / 2) * y2a[khi]) * h * h) / 6) * h;
      klo++;
      khi++;
    }
    return yi;
  }
}

/**
 * Turbopause correction (Fortran DNET): the diffusive density dd and the fully mixed density dm
 * combined as dd·(1 + (dm/dd)^a)^(1/a), a = zhm/(xmm − xm) (a root-mean form of the two).
 */
function dnet(dd: number, dm: number, zhm: number, xmm: number, xm: number): number {
  const a = zhm / (xmm - xm);
  if (!(dm > 0 && dd > 0)) {
    if (dd === 0 && dm === 0) dd = 1;
    if (dm === 0) return dd;
    if (dd === 0) return dm;
  }
  const ylog = a * Math.log(dm / dd);
  if (ylog < -10) return dd;
  if (ylog > 10) return dm;
  return dd * (1 + Math.exp(ylog)) ** (1 / a);
}

/** Chemistry/dissociation correction (Fortran CCOR): exp(r/(1 + e^((z − zh)/h1))). */
function ccor(alt: number, r: number, h1: number, zh: number): number {
  const e = (alt - zh) / h1;
  if (e > 70) return 1; // exp(0)
  if (e < -70) return Math.exp(r);
  return Math.exp(r / (1 + Math.exp(e)));
}

/** O and O2 chemistry/dissociation correction with two scale lengths (Fortran CCOR2). */
function ccor2(alt: number, r: number, h1: number, zh: number, h2: number): number {
  const e1 = (alt - zh) / h1;
  const e2 = (alt - zh) / h2;
  if (e1 > 70 || e2 > 70) return 1;
  if (e1 < -70 && e2 < -70) return Math.exp(r);
  return Math.exp(r / (1 + 0.5 * (Math.exp(e1) + Math.exp(e2))));
}

let shared: Nrlmsise00 | undefined;
let sharedSwitchesKey = '';

/**
 * One-shot NRLMSISE-00 evaluation. `anomalousOxygen` true (default) gives GTD7D's total mass
 * density (with anomalous O, the one for drag), false GTD7's.
 */
export function nrlmsise00(input: NrlmsiseInput, options: { switches?: ArrayLike<number>; anomalousOxygen?: boolean } = {}): NrlmsiseOutput {
  const sv = options.switches ?? NRLMSISE_SWITCHES_ON;
  const key = Array.prototype.join.call(sv, ',');
  if (!shared || key !== sharedSwitchesKey) {
    shared = new Nrlmsise00(sv);
    sharedSwitchesKey = key;
  }
  return options.anomalousOxygen === false ? shared.gtd7(input) : shared.gtd7d(input);
}
