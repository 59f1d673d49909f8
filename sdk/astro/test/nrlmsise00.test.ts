import { expect } from 'chai';
import { Nrlmsise00, NrlmsiseInputError, nrlmsise00, nrlmsiseSwitches, type NrlmsiseInput, type NrlmsiseOutput } from '../atmosphere/nrlmsise00';
import { PAVGM, PD, PDL, PDM, PMA, PS, PT, PTL, PTM, SAM } from '../atmosphere/nrlmsise00-data';

/**
 * The 17 published test cases of NRLMSISE-00: the test driver distributed with the model's C
 * port (D. Brodowski, nrlmsise-00_test.c, "nrlmsise-test should generate the following output",
 * which states that the values equal those of the official Fortran package except anomalous O
 * of case 4, printed 0 by the single-precision Fortran and 2.819879E-42 in double precision).
 * Inputs: day 172, 29000 s UT, 400 km, 60° N, 70° W, 16 h LST, F10.7A = F10.7 = 150, Ap = 4,
 * with one input changed per case; cases 16 and 17 use switch 9 = −1 with all seven ap = 100.
 * Outputs printed with %E (7 significant digits), in the model's cgs units:
 * He, O, N2, O2, Ar (cm⁻³), total mass density (g/cm³, GTD7: without anomalous O), H, N,
 * anomalous O (cm⁻³), T∞, T(alt) (K).
 */
const PUBLISHED: { change: Partial<NrlmsiseInput>; history?: boolean; out: number[] }[] = [
  { change: {}, out: [6.665177e5, 1.138806e8, 1.998211e7, 4.022764e5, 3.557465e3, 4.074714e-15, 3.475312e4, 4.095913e6, 2.667273e4, 1.25054e3, 1.241416e3] },
  { change: { dayOfYear: 81 }, out: [3.407293e6, 1.586333e8, 1.391117e7, 3.26256e5, 1.559618e3, 5.001846e-15, 4.854208e4, 4.380967e6, 6.956682e3, 1.166754e3, 1.16171e3] },
  { change: { utSeconds: 75000, altitudeKm: 1000 }, out: [1.123767e5, 6.93413e4, 4.247105e1, 1.32275e-1, 2.618848e-5, 2.756772e-18, 2.01675e4, 5.741256e3, 2.374394e4, 1.239892e3, 1.239891e3] },
  { change: { altitudeKm: 100 }, out: [5.411554e7, 1.918893e11, 6.115826e12, 1.225201e12, 6.023212e10, 3.584426e-10, 1.05988e7, 2.615737e5, 2.819879e-42, 1.027318e3, 2.068878e2] },
  { change: { latitudeDeg: 0 }, out: [1.851122e6, 1.476555e8, 1.579356e7, 2.633795e5, 1.588781e3, 4.80963e-15, 5.816167e4, 5.478984e6, 1.264446e3, 1.212396e3, 1.208135e3] },
  { change: { longitudeDeg: 0 }, out: [8.673095e5, 1.278862e8, 1.822577e7, 2.922214e5, 2.402962e3, 4.355866e-15, 3.686389e4, 3.897276e6, 2.667273e4, 1.220146e3, 1.212712e3] },
  { change: { localSolarTimeH: 4 }, out: [5.776251e5, 6.979139e7, 1.236814e7, 2.492868e5, 1.405739e3, 2.470651e-15, 5.291986e4, 1.069814e6, 2.667273e4, 1.116385e3, 1.112999e3] },
  { change: { f107AvgSfu: 70 }, out: [3.740304e5, 4.78272e7, 5.24038e6, 1.759875e5, 5.501649e2, 1.571889e-15, 8.896776e4, 1.979741e6, 9.121815e3, 1.031247e3, 1.024848e3] },
  { change: { f107PrevDaySfu: 180 }, out: [6.748339e5, 1.245315e8, 2.36901e7, 4.911583e5, 4.578781e3, 4.56442e-15, 3.244595e4, 5.370833e6, 2.667273e4, 1.306052e3, 1.293374e3] },
  { change: { apDaily: 40 }, out: [5.528601e5, 1.198041e8, 3.495798e7, 9.339618e5, 1.096255e4, 4.974543e-15, 2.686428e4, 4.889974e6, 2.805445e4, 1.361868e3, 1.347389e3] },
  { change: { altitudeKm: 0 }, out: [1.375488e14, 0, 2.049687e19, 5.498695e18, 2.451733e17, 1.261066e-3, 0, 0, 0, 1.027318e3, 2.814648e2] },
  { change: { altitudeKm: 10 }, out: [4.427443e13, 0, 6.597567e18, 1.769929e18, 7.89168e16, 4.059139e-4, 0, 0, 0, 1.027318e3, 2.27418e2] },
  { change: { altitudeKm: 30 }, out: [2.127829e12, 0, 3.170791e17, 8.50628e16, 3.792741e15, 1.950822e-5, 0, 0, 0, 1.027318e3, 2.374389e2] },
  { change: { altitudeKm: 50 }, out: [1.412184e11, 0, 2.10437e16, 5.645392e15, 2.517142e14, 1.294709e-6, 0, 0, 0, 1.027318e3, 2.795551e2] },
  { change: { altitudeKm: 70 }, out: [1.254884e10, 0, 1.874533e15, 4.923051e14, 2.239685e13, 1.147668e-7, 0, 0, 0, 1.027318e3, 2.190732e2] },
  { change: {}, history: true, out: [5.196477e5, 1.274494e8, 4.85045e7, 1.720838e6, 2.354487e4, 5.88194e-15, 2.500078e4, 6.27921e6, 2.667273e4, 1.426412e3, 1.408608e3] },
  { change: { altitudeKm: 100 }, history: true, out: [4.26086e7, 1.241342e11, 4.929562e12, 1.048407e12, 4.993465e10, 2.914304e-10, 8.831229e6, 2.252516e5, 2.415246e-42, 1.027318e3, 1.934071e2] },
];
const NAMES = ['He', 'O', 'N2', 'O2', 'Ar', 'rho', 'H', 'N', 'anomalous O', 'Tinf', 'T'];

const BASE: NrlmsiseInput = { dayOfYear: 172, utSeconds: 29000, altitudeKm: 400, latitudeDeg: 60, longitudeDeg: -70, localSolarTimeH: 16, f107AvgSfu: 150, f107PrevDaySfu: 150, apDaily: 4 };
const AP_HISTORY = [100, 100, 100, 100, 100, 100, 100];

/** An output in the published order and units (cm⁻³, g/cm³, K) from the SI output (m⁻³, kg/m³). */
function asPublished(o: NrlmsiseOutput): number[] {
  return [o.heM3 * 1e-6, o.oM3 * 1e-6, o.n2M3 * 1e-6, o.o2M3 * 1e-6, o.arM3 * 1e-6, o.densityKgM3 * 1e-3, o.hM3 * 1e-6, o.nM3 * 1e-6, o.anomalousOM3 * 1e-6, o.exosphericTempK, o.temperatureK];
}

/**
 * Tolerance of a value printed with 7 significant digits (%E): half a unit of its last digit,
 * 0.5e-6 × 10^exponent (relative 5e-8 … 5e-7 depending on the mantissa), plus 1e-12 relative
 * for the double-precision differences between the C port's libm and V8's. Published zeros
 * must be exactly zero (the model sets O, H, N and anomalous O to 0 below 72.5 km).
 */
function printedTolerance(ref: number): number {
  if (ref === 0) return 0;
  const e = Math.floor(Math.log10(Math.abs(ref)));
  return 0.5e-6 * 10 ** e + 1e-12 * Math.abs(ref);
}

describe('sdk/astro NRLMSISE-00', () => {
  describe('coefficient tables (transcription checks)', () => {
    it('have the dimensions of the Fortran COMMON blocks', () => {
      expect(PT).to.have.length(150);
      expect(PD).to.have.length(9);
      for (const c of PD) expect(c).to.have.length(150);
      expect(PS).to.have.length(150);
      expect(PDL).to.have.length(2);
      for (const c of PDL) expect(c).to.have.length(25);
      expect(PTL).to.have.length(4);
      for (const c of PTL) expect(c).to.have.length(100);
      expect(PMA).to.have.length(10);
      for (const c of PMA) expect(c).to.have.length(100);
      expect(SAM).to.have.length(100);
      expect(PTM).to.have.length(10);
      expect(PDM).to.have.length(8);
      for (const c of PDM) expect(c).to.have.length(10);
      expect(PAVGM).to.have.length(10);
      for (const v of [...PT, ...PD.flat(), ...PS, ...PDL.flat(), ...PTL.flat(), ...PMA.flat(), ...SAM, ...PTM, ...PDM.flat(), ...PAVGM]) expect(Number.isFinite(v)).to.equal(true);
    });

    it('carry the parameter-set marker P(100) = 2 in every column GLOB7S reads (PTL, PMA)', () => {
      // the Fortran GLOB7S stops with "WRONG PARAMETER SET" unless P(100) is 2 (or 0)
      for (const c of [...PTL, ...PMA]) expect(c[99]).to.equal(2);
    });

    it('hold the global averages the published low-altitude cases print (T∞ = PTM(1)·PT(1) = 1027.318 K)', () => {
      // T∞ is the global average below 123.435 km: 1041.30 × 0.986573 = 1027.318 (printed in cases 4 and 11–17)
      expect(PTM[0] * PT[0]).to.be.closeTo(1027.318, printedTolerance(1027.318));
      expect(PDL[1][15]).to.equal(123.435); // z_a, top of the spline region
    });
  });

  describe('the 17 published test cases (GTD7, every output, 7 significant digits)', () => {
    const model = new Nrlmsise00();
    const modelHistory = new Nrlmsise00(nrlmsiseSwitches({ 9: -1 }));
    PUBLISHED.forEach((c, k) => {
      const label = `case ${k + 1}: ${Object.entries(c.change).map(([key, v]) => `${key} ${v}`).join(', ') || 'reference inputs'}${c.history ? ', ap history (switch 9 = −1, all ap 100)' : ''}`;
      it(label, () => {
        const input: NrlmsiseInput = { ...BASE, ...c.change, ...(c.history ? { apHistory: AP_HISTORY } : {}) };
        const got = asPublished((c.history ? modelHistory : model).gtd7(input));
        got.forEach((v, i) => {
          const ref = c.out[i];
          const tol = printedTolerance(ref);
          expect(Math.abs(v - ref), `${label} ${NAMES[i]}: got ${v.toExponential(7)}, published ${ref.toExponential(6)}`).to.be.at.most(tol);
        });
      });
    });
  });

  describe('GTD7D (effective mass density for drag)', () => {
    it('equals GTD7 + 16 amu × anomalous O number density, the other outputs unchanged', () => {
      const model = new Nrlmsise00();
      for (const change of [{}, { altitudeKm: 1000, utSeconds: 75000 }, { altitudeKm: 600 }, { altitudeKm: 100 }, { altitudeKm: 30 }]) {
        const input = { ...BASE, ...change };
        const a = { ...model.gtd7(input) };
        const b = { ...model.gtd7d(input) };
        // the model's own weights: 1.66e-24 g per amu → 1.66e-27 kg
        const expected = a.densityKgM3 + 16 * 1.66e-27 * a.anomalousOM3;
        expect(b.densityKgM3).to.be.closeTo(expected, 1e-14 * expected);
        for (const key of ['heM3', 'oM3', 'n2M3', 'o2M3', 'arM3', 'hM3', 'nM3', 'anomalousOM3', 'exosphericTempK', 'temperatureK'] as const) expect(b[key]).to.equal(a[key]);
        expect(model.densityKgM3(input)).to.equal(b.densityKgM3);
      }
      // at 1000 km anomalous O is a large part of the drag density (published case 3: 2.374e4 of ~1.3e5 particles/cm³)
      const hi = { ...BASE, altitudeKm: 1000, utSeconds: 75000 };
      expect(model.gtd7d(hi).densityKgM3 / model.gtd7(hi).densityKgM3).to.be.greaterThan(1.1);
    });

    it('nrlmsise00() gives GTD7D by default and GTD7 with anomalousOxygen: false', () => {
      const m = new Nrlmsise00();
      const input = { ...BASE, altitudeKm: 800 };
      expect(nrlmsise00(input).densityKgM3).to.equal(m.gtd7d(input).densityKgM3);
      expect(nrlmsise00(input, { anomalousOxygen: false }).densityKgM3).to.equal(m.gtd7(input).densityKgM3);
      const h = nrlmsise00({ ...input, apHistory: AP_HISTORY }, { switches: nrlmsiseSwitches({ 9: -1 }) });
      expect(h.densityKgM3).to.equal(new Nrlmsise00(nrlmsiseSwitches({ 9: -1 })).gtd7d({ ...input, apHistory: AP_HISTORY }).densityKgM3);
    });
  });

  describe('response to solar and geomagnetic activity at 400 km', () => {
    const model = new Nrlmsise00();
    it('density and T∞ grow with F10.7 (81-day mean and previous day together)', () => {
      let prev = 0;
      let prevT = 0;
      for (const f of [65, 80, 100, 130, 160, 200, 250]) {
        const o = { ...model.gtd7d({ ...BASE, f107AvgSfu: f, f107PrevDaySfu: f }) };
        expect(o.densityKgM3).to.be.greaterThan(prev);
        expect(o.exosphericTempK).to.be.greaterThan(prevT);
        prev = o.densityKgM3;
        prevT = o.exosphericTempK;
      }
    });
    it('density grows with daily Ap', () => {
      let prev = 0;
      for (const ap of [0, 4, 15, 50, 100, 200, 400]) {
        const rho = model.densityKgM3({ ...BASE, apDaily: ap });
        expect(rho).to.be.greaterThan(prev);
        prev = rho;
      }
    });
    it('density grows with the 3-hour ap history (switch 9 = −1)', () => {
      const m = new Nrlmsise00(nrlmsiseSwitches({ 9: -1 }));
      let prev = 0;
      for (const ap of [0, 7, 27, 80, 207, 400]) {
        const rho = m.densityKgM3({ ...BASE, apDaily: ap, apHistory: [ap, ap, ap, ap, ap, ap, ap] });
        expect(rho).to.be.greaterThan(prev);
        prev = rho;
      }
    });
  });

  describe('switches and inputs', () => {
    it('switch 7 off removes the diurnal variation; switches 9 and 13 off remove the Ap effect', () => {
      const noDiurnal = new Nrlmsise00(nrlmsiseSwitches({ 7: 0 }));
      // without the diurnal term (and with the semidiurnal/terdiurnal ones still on) the result changes
      expect(noDiurnal.densityKgM3({ ...BASE, localSolarTimeH: 4 })).to.not.equal(new Nrlmsise00().densityKgM3({ ...BASE, localSolarTimeH: 4 }));
      // switch 9 alone leaves the mixed Ap/UT/longitude terms of switch 13 (they use the same daily-Ap function)
      const only9 = new Nrlmsise00(nrlmsiseSwitches({ 9: 0 }));
      expect(only9.densityKgM3({ ...BASE, apDaily: 4 })).to.not.equal(only9.densityKgM3({ ...BASE, apDaily: 300 }));
      const noAp = new Nrlmsise00(nrlmsiseSwitches({ 9: 0, 13: 0 }));
      expect(noAp.densityKgM3({ ...BASE, apDaily: 4 })).to.equal(noAp.densityKgM3({ ...BASE, apDaily: 300 }));
    });

    it('rejects bad switches and inputs with a message naming them', () => {
      expect(() => new Nrlmsise00([1, 1, 1])).to.throw(NrlmsiseInputError, /switches must have 24 entries/);
      expect(() => new Nrlmsise00(nrlmsiseSwitches({ 7: -1 }))).to.throw(/switches\[7\] = -1/);
      expect(() => nrlmsiseSwitches({ 24: 0 })).to.throw(/switch number 24/);
      const m = new Nrlmsise00();
      expect(() => m.gtd7({ ...BASE, altitudeKm: NaN })).to.throw(NrlmsiseInputError, /input\.altitudeKm must be a finite number/);
      expect(() => m.gtd7({ ...BASE, latitudeDeg: 91 })).to.throw(/input\.latitudeDeg 91/);
      expect(() => m.gtd7({ ...BASE, f107AvgSfu: 0 })).to.throw(/input\.f107AvgSfu must be > 0/);
      expect(() => m.gtd7({ ...BASE, apDaily: -1 })).to.throw(/input\.apDaily/);
      expect(() => m.gtd7({ ...BASE, dayOfYear: 400 })).to.throw(/input\.dayOfYear 400/);
      const h = new Nrlmsise00(nrlmsiseSwitches({ 9: -1 }));
      expect(() => h.gtd7(BASE)).to.throw(/switch 9 = −1 needs input\.apHistory with 7 values, got none/);
      expect(() => h.gtd7({ ...BASE, apHistory: [1, 2, 3] })).to.throw(/got 3/);
      expect(() => h.gtd7({ ...BASE, apHistory: [1, 2, 3, 4, 5, NaN, 7] })).to.throw(/apHistory\[5\]/);
    });

    it('is a pure function of its inputs (no memory of a previous call)', () => {
      const m = new Nrlmsise00(nrlmsiseSwitches({ 9: -1 }));
      const x = { ...BASE, altitudeKm: 50, apHistory: AP_HISTORY };
      const first = { ...m.gtd7(x) };
      m.gtd7({ ...BASE, altitudeKm: 700, latitudeDeg: -30, apHistory: [3, 5, 9, 200, 7, 1, 0] });
      expect({ ...m.gtd7(x) }).to.deep.equal(first);
      expect({ ...new Nrlmsise00(nrlmsiseSwitches({ 9: -1 })).gtd7(x) }).to.deep.equal(first);
    });

    it('continues above 1000 km as the model does (densities fall, T → T∞)', () => {
      const m = new Nrlmsise00();
      const a = { ...m.gtd7d({ ...BASE, altitudeKm: 1000 }) };
      const b = { ...m.gtd7d({ ...BASE, altitudeKm: 1500 }) };
      expect(b.densityKgM3).to.be.lessThan(a.densityKgM3);
      expect(b.densityKgM3).to.be.greaterThan(0);
      expect(b.temperatureK).to.be.closeTo(b.exosphericTempK, 1e-6 * b.exosphericTempK);
    });
  });
});
