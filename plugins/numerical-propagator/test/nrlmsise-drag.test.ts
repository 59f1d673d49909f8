import { expect } from 'chai';
import * as path from 'node:path';
import { NumericalPropagatorToken, type PropagationOutcome, type Propagator } from '../../../interfaces/services/propagation';
import { SpaceWeatherProviderToken, type SpaceWeatherProvider } from '../../../interfaces/services/reference-data';
import { nrlmsise00, nrlmsiseSwitches } from '../../../sdk/astro/atmosphere/nrlmsise00';
import { MU_EARTH_KM3_S2, WGS84_A_KM } from '../../../sdk/astro/constants';
import { keplerianToCartesian } from '../../../sdk/astro/elements';
import { cartesianToGeodetic, ZERO_EOP } from '../../../sdk/astro/frames';
import { Epoch } from '../../../sdk/astro/time';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { NrlmsiseDensity, SpaceWeatherSlots } from '../atmosphere';
import { propagateCowell } from '../cowell';
import { ForceModel } from '../dynamics';
import { BodyEphemeris, InterpolatedEarthRotation } from '../environment';
import { geodeticHeightKm, geodeticLatitudeHeight } from '../forces';

const PLUGIN = path.join(__dirname, '..');
const SPACE_WEATHER_PLUGIN = path.join(__dirname, '..', '..', 'space-weather');
const DEG = Math.PI / 180;
const EPOCH = '2024-03-01T00:00:00.000';
const PHYS = { massKg: 500, dragAreaM2: 5, cd: 2.2 };
/** Drag alone on a point-mass Earth: the only force that changes the orbital energy. */
const DRAG_ONLY = { degree: 0, order: 0, sun: false, moon: false, srp: false, drag: 'nrlmsise-00' };

/** Space-weather slots with given values (the 7-element ap history per slot), starting at the slot of a UTC MJD. */
function slotsOf(firstMjd: number, values: { f107Prev: number; f107Avg: number; ap: number[] }[]): SpaceWeatherSlots {
  return new SpaceWeatherSlots(
    SpaceWeatherSlots.slotOf(firstMjd),
    Float64Array.from(values.map((v) => v.f107Prev)),
    Float64Array.from(values.map((v) => v.f107Avg)),
    Float64Array.from(values.map((v) => v.ap[0])),
    Float64Array.from(values.flatMap((v) => v.ap)),
    'test values',
    [],
    0,
  );
}

const ok = (o: PropagationOutcome) => {
  if (!o.ok) throw new Error(`outcome failed: ${o.error.code}: ${o.error.message}`);
  return o;
};

describe('numerical-propagator NRLMSISE-00 drag', function () {
  this.timeout(60_000);

  it('one Bowring step gives height within 1 µm and latitude within 5e-10 rad (3 mm) of the iterative geodetic conversion', () => {
    // measured: height ≤ 1e-12 km, latitude ≤ 2e-10 rad at mid-latitudes (the one-step error of Bowring's method)
    const out = new Float64Array(2);
    for (const [lat, lon, h] of [[0, 0, 300], [51.6, -70, 420], [-89.5, 120, 650], [85, 10, 1200], [30, 200, 90]]) {
      const p = [(WGS84_A_KM + h) * Math.cos(lat * DEG) * Math.cos(lon * DEG), (WGS84_A_KM + h) * Math.cos(lat * DEG) * Math.sin(lon * DEG), (WGS84_A_KM + h) * Math.sin(lat * DEG)];
      const g = cartesianToGeodetic(p);
      geodeticLatitudeHeight(p[0], p[1], p[2], out);
      expect(Math.abs(out[0] - g.latRad)).to.be.below(5e-10);
      expect(Math.abs(out[1] - g.heightKm)).to.be.below(1e-9);
      expect(out[1]).to.equal(geodeticHeightKm(p[0], p[1], p[2]));
    }
  });

  it('drag acceleration = −½ Cd (A/m) ρ |v_r| v_r with ρ of a direct NRLMSISE-00 call at the same geodetic point, day, UT, local time and slot inputs', () => {
    const epoch0 = Epoch.parse(EPOCH, 'UTC');
    const mjd0 = epoch0.mjd('UTC');
    // three 3-hour slots with different inputs: the force must use the slot of each instant
    const values = [
      { f107Prev: 160, f107Avg: 140, ap: [12, 9, 15, 27, 7, 10, 8] },
      { f107Prev: 160, f107Avg: 140, ap: [12, 48, 9, 15, 27, 9, 8] },
      { f107Prev: 95, f107Avg: 141, ap: [30, 80, 48, 9, 15, 14, 9] },
    ];
    const slots = slotsOf(mjd0 - 0.125, [values[0], ...values]);
    const tMax = 9 * 3600;
    const rotation = new InterpolatedEarthRotation(epoch0, 0, tMax, () => ZERO_EOP, 600);
    const atmosphere = new NrlmsiseDensity(slots, mjd0);
    const cd = 2.3;
    const areaM2 = 4;
    const massKg = 700;
    const force = new ForceModel({ muKm3S2: MU_EARTH_KM3_S2, rotation, bodies: new BodyEphemeris(epoch0), sun: false, moon: false, drag: { cd, areaM2, harrisPriesterN: 4, atmosphere } });
    force.massRefKg = massKg;
    const el = keplerianToCartesian({ aKm: 6778.137, e: 0.001, iRad: 97 * DEG, raanRad: 10 * DEG, argpRad: 0, trueAnomalyRad: 0 });
    const R = new Float64Array(9);
    const acc = new Float64Array(3);
    let checked = 0;
    for (const t of [0, 1234.5, 3 * 3600 - 1, 3 * 3600 + 1, 5 * 3600, 6 * 3600 + 17, 8.9 * 3600]) {
      // any state: rotate the Keplerian one about z so the test visits several longitudes and latitudes
      const th = t * 1e-3;
      const r = [el.posKm[0] * Math.cos(th) - el.posKm[1] * Math.sin(th), el.posKm[0] * Math.sin(th) + el.posKm[1] * Math.cos(th), el.posKm[2] + 500 * Math.sin(th)];
      const v = el.velKmS;
      force.perturbation(t, r[0], r[1], r[2], v[0], v[1], v[2], acc);

      // independent: ITRF position, iterative geodetic conversion, UTC calendar of the instant
      rotation.rotation(t, R);
      const xe = [0, 1, 2].map((i) => R[3 * i] * r[0] + R[3 * i + 1] * r[1] + R[3 * i + 2] * r[2]);
      const g = cartesianToGeodetic(xe);
      const utc = epoch0.plusSeconds(t).toCalendar('UTC');
      const doy = Epoch.fromCalendar(utc.year, utc.month, utc.day, 0, 0, 0, 'UTC').mjd('UTC') - Epoch.fromCalendar(utc.year, 1, 1, 0, 0, 0, 'UTC').mjd('UTC') + 1;
      const utS = utc.hour * 3600 + utc.minute * 60 + utc.second;
      const lonDeg = g.lonRad / DEG;
      const lst = (((utS / 3600 + lonDeg / 15) % 24) + 24) % 24;
      const v0 = values[Math.floor(utc.hour / 3)];
      const rho = nrlmsise00(
        { dayOfYear: doy, utSeconds: utS, altitudeKm: g.heightKm, latitudeDeg: g.latRad / DEG, longitudeDeg: lonDeg, localSolarTimeH: lst, f107AvgSfu: v0.f107Avg, f107PrevDaySfu: v0.f107Prev, apDaily: v0.ap[0], apHistory: v0.ap },
        { switches: nrlmsiseSwitches({ 9: -1 }) },
      ).densityKgM3;
      // v_r = v − ω × r, ω along the Earth's axis (third row of R in GCRF)
      const w = [rotation.rateRadS * R[6], rotation.rateRadS * R[7], rotation.rateRadS * R[8]];
      const vr = [v[0] - (w[1] * r[2] - w[2] * r[1]), v[1] - (w[2] * r[0] - w[0] * r[2]), v[2] - (w[0] * r[1] - w[1] * r[0])];
      const vrn = Math.hypot(...vr);
      const expected = vr.map((c) => -0.5 * cd * (areaM2 / massKg) * rho * vrn * c * 1000); // m → km
      // tolerance 1e-9 relative: the force's one-step Bowring height and latitude differ from the iterative ones by < 1 µm and
      // < 5e-10 rad (test above): < 1e-10 of ρ for a ≥ 20 km scale height; the latitude terms vary over degrees
      for (let i = 0; i < 3; i++) expect(Math.abs(acc[i] - expected[i]), `t = ${t} s, axis ${i}`).to.be.at.most(1e-9 * Math.hypot(...expected));
      expect(rho).to.be.greaterThan(1e-13).and.lessThan(1e-10);
      checked++;
    }
    expect(checked).to.equal(7);
    expect(atmosphere.calls).to.equal(7);
  });

  describe('in a kernel', () => {
    let tk: TestKernel | undefined;
    afterEach(async () => {
      await tk?.stop();
      tk = undefined;
    });
    const boot = async (withSpaceWeather: boolean): Promise<Propagator> => {
      tk = await createTestKernel({ plugins: withSpaceWeather ? [SPACE_WEATHER_PLUGIN, PLUGIN] : [PLUGIN] });
      await tk.waitForState('numerical-propagator', 'running');
      if (withSpaceWeather) await tk.waitForState('space-weather', 'running');
      return tk.service(NumericalPropagatorToken);
    };
    const el = keplerianToCartesian({ aKm: 6778.137, e: 0.0008, iRad: 51.6 * DEG, raanRad: 30 * DEG, argpRad: 40 * DEG, trueAnomalyRad: 10 * DEG });
    const subject = (epochIso: string, id = 'leo') => ({ id, state: { epoch: { iso: epochIso, scale: 'UTC' as const }, frame: 'GCRF' as const, posKm: el.posKm, velKmS: el.velKmS }, physical: PHYS });

    it('without a spaceweather.provider: subjects with a drag area fail "unsupported" naming the service and the setting; the others propagate', async () => {
      const p = await boot(false);
      const { outcomes } = await p.propagate({
        subjects: [subject(EPOCH), { id: 'no-drag', state: subject(EPOCH).state }],
        times: { startUtc: EPOCH, stopUtc: '2024-03-01T01:00:00', stepS: 600 },
        frame: 'GCRF',
        forceModel: DRAG_ONLY,
      });
      expect(outcomes[0].ok).to.equal(false);
      if (!outcomes[0].ok) {
        expect(outcomes[0].error.code).to.equal('unsupported');
        expect(outcomes[0].error.message).to.match(/forceModel\.drag 'nrlmsise-00'.*spaceweather\.provider.*'space-weather'.*not running/);
      }
      expect(outcomes[1].ok).to.equal(true);
    });

    it('takes its inputs from the space-weather plugin: the propagation equals one driven by the values the provider returns (and differs with other values)', async () => {
      const p = await boot(true);
      const provider = tk!.service(SpaceWeatherProviderToken) as SpaceWeatherProvider;
      const stop = '2024-03-01T06:00:00';
      const { outcomes } = await p.propagate({ subjects: [subject(EPOCH)], times: { startUtc: EPOCH, stopUtc: stop, stepS: 600 }, frame: 'GCRF', forceModel: DRAG_ONLY });
      const o = ok(outcomes[0]);

      // the same propagation built here from the provider's own answers for the 3-hour slots
      const epoch0 = Epoch.parse(EPOCH, 'UTC');
      const mjd0 = epoch0.mjd('UTC');
      const slotMjds = Array.from({ length: 5 }, (_, k) => mjd0 + (k - 1) * 0.125); // slot before … slot after
      const iso = slotMjds.map((m) => Epoch.fromMjd(m, 'UTC').toIso('UTC', 0));
      const answers = await provider.atmosphereInputs(iso);
      expect(answers.every((a) => !a.flags.extrapolated)).to.equal(true);
      const direct = (scaleF107: number) => {
        const slots = slotsOf(slotMjds[0], answers.map((a) => ({ f107Prev: a.f107PrevDaySfu * scaleF107, f107Avg: a.f107Avg81Sfu * scaleF107, ap: a.ap3hHistory })));
        const outputs = o.epochsUtc.map((e) => Epoch.parse(e, 'UTC').minus(epoch0));
        const rotation = new InterpolatedEarthRotation(epoch0, 0, Math.max(...outputs), () => ZERO_EOP, 600);
        const force = new ForceModel({ muKm3S2: MU_EARTH_KM3_S2, rotation, bodies: new BodyEphemeris(epoch0), sun: false, moon: false, drag: { cd: PHYS.cd, areaM2: PHYS.dragAreaM2, harrisPriesterN: 4, atmosphere: new NrlmsiseDensity(slots, mjd0) } });
        const res = propagateCowell({ force, y0: [...el.posKm, ...el.velKmS], massKg: PHYS.massKg, outputs, stm: false, impulses: [], burns: [], method: 'dp853', rtol: 1e-11, atolKm: 1e-9, minRadiusKm: WGS84_A_KM + 80 });
        return outputs.map((_, k) => [res.states[6 * k], res.states[6 * k + 1], res.states[6 * k + 2]]);
      };
      const same = direct(1);
      const last = o.posKm.length - 1;
      o.posKm.forEach((pk, k) => expect(Math.hypot(pk[0] - same[k][0], pk[1] - same[k][1], pk[2] - same[k][2]), `output ${k}`).to.be.below(1e-9));
      // control: 10 % more F10.7 moves the satellite by metres after 6 h — the comparison above can fail
      const other = direct(1.1);
      const moved = Math.hypot(o.posKm[last][0] - other[last][0], o.posKm[last][1] - other[last][1], o.posKm[last][2] - other[last][2]);
      expect(moved).to.be.above(1e-3);
      const health = tk!.status('numerical-propagator');
      expect(health).to.not.equal(undefined);
    });

    it('a 400 km LEO loses more semi-major axis in a day at high solar activity (2024-08) than at low (2009-01)', async () => {
      const p = await boot(true);
      const provider = tk!.service(SpaceWeatherProviderToken) as SpaceWeatherProvider;
      const [low, high] = await provider.atmosphereInputs(['2009-01-15T00:00:00Z', '2024-08-15T00:00:00Z']);
      // preconditions read from the table: deep solar minimum vs near the cycle-25 maximum
      expect(low.f107Avg81Sfu).to.be.below(75);
      expect(high.f107Avg81Sfu).to.be.above(180);
      const semiMajorAxis = (r: number[], v: number[]) => -MU_EARTH_KM3_S2 / (2 * (0.5 * Math.hypot(...v) ** 2 - MU_EARTH_KM3_S2 / Math.hypot(...r)));
      const a0 = semiMajorAxis(el.posKm, el.velKmS);
      const decay = async (start: string, stop: string) => {
        const { outcomes } = await p.propagate({ subjects: [subject(start)], times: { startUtc: start, stopUtc: stop, stepS: 86400 }, frame: 'GCRF', forceModel: DRAG_ONLY });
        const o = ok(outcomes[0]);
        return a0 - semiMajorAxis(o.posKm[1], o.velKmS[1]);
      };
      const dLow = await decay('2009-01-15T00:00:00', '2009-01-16T00:00:00');
      const dHigh = await decay('2024-08-15T00:00:00', '2024-08-16T00:00:00');
      expect(dLow).to.be.above(0);
      // measured: see the README (semi-major axis loss per day)
      expect(dHigh).to.be.above(3 * dLow);
    });

    it('outside the space-weather table the provider\'s extrapolated values are used and said (warning, health)', async () => {
      const p = await boot(true);
      const start = '1955-06-01T00:00:00';
      const { outcomes } = await p.propagate({ subjects: [subject(start)], times: { startUtc: start, stopUtc: '1955-06-01T01:00:00', stepS: 600 }, frame: 'GCRF', forceModel: DRAG_ONLY });
      ok(outcomes[0]);
      let detail = '';
      for (let i = 0; i < 40 && !/EXTRAPOLATED/.test(detail); i++) {
        await new Promise((r) => setTimeout(r, 50));
        detail = tk!.status('numerical-propagator')?.health?.detail ?? '';
      }
      expect(detail).to.match(/1 request\(s\) used space weather EXTRAPOLATED/);
    });
  });
});
