import { twoline2satrec } from 'satellite.js';
import { closestApproach, fitMeanElements, secondaryTargetState } from './encounter';
import { generatePopulation, type PopulationSpec } from './population';
import { Prng } from './prng';
import { satrecOf, stateAt, type MeanElements } from './sgp4-adapter';
import { formatTle } from '../../sdk/tle';

export interface ScenarioSpec extends PopulationSpec {
  /** Engineered close approaches, spread over the fleet. */
  encounters: number;
  /** Window after the epoch in which TCAs are placed, days. */
  windowDays: number;
  /** Engineered miss distances are drawn log-uniformly in this range, km. */
  missKm: [number, number];
}

export interface EngineeredEncounter {
  primaryNoradId: number;
  secondaryNoradId: number;
  /** What was asked for. */
  engineered: { tcaUtc: string; missKm: number; crossingAngleDeg: number };
  /** What the written TLEs give (SGP4 on the rounded TLE text, TCA refined to 10 µs). */
  tcaUtc: string;
  missKm: number;
  relativeSpeedKmS: number;
}

export interface Scenario {
  seed: number;
  epochUtc: string;
  objects: number;
  fleet: { noradId: number; name: string }[];
  regimes: Record<string, number>;
  encounters: EngineeredEncounter[];
  /** The catalog as 3LE text (name line + two TLE lines per object). */
  tle: string;
}

/** The TLE lines of a set of mean elements (sdk/tle.ts writes the columns). */
const toLines = (el: MeanElements) =>
  formatTle({
    noradId: el.noradId,
    objectName: el.name,
    objectId: el.objectId,
    classification: 'U',
    epochUtc: new Date(el.epochMsUtc).toISOString(),
    meanMotionRevPerDay: el.meanMotionRevPerDay,
    eccentricity: el.eccentricity,
    inclinationDeg: el.inclinationDeg,
    raanDeg: el.raanDeg,
    argPericenterDeg: el.argPericenterDeg,
    meanAnomalyDeg: el.meanAnomalyDeg,
    bstarPerEarthRadius: el.bstar,
    meanMotionDotRevPerDay2: 0,
    meanMotionDdotRevPerDay3: 0,
    ephemerisType: 0,
    elementSetNo: 999,
    revAtEpoch: 1000,
  });

/**
 * Builds the whole scenario. Deterministic: the same spec gives the same bytes.
 * The epoch of every element set is at or before `epochMsUtc`, so a screening window
 * starting at the epoch sees every engineered encounter.
 */
export function buildScenario(spec: ScenarioSpec): Scenario {
  const pop = generatePopulation(spec);
  const rng = new Prng(spec.seed ^ 0x5eed);
  const objects: MeanElements[] = [...pop.fleet, ...pop.background];
  let nextId = spec.firstNoradId + objects.length;
  const asked: EngineeredEncounter['engineered'][] = [];
  const pairs: [MeanElements, MeanElements][] = [];
  for (let k = 0; k < spec.encounters; k++) {
    const primary = pop.fleet[k % pop.fleet.length];
    const tcaMs = Math.round(spec.epochMsUtc + rng.uniform(0.25, spec.windowDays) * 86_400_000);
    const missKm = Math.exp(rng.uniform(Math.log(spec.missKm[0]), Math.log(spec.missKm[1])));
    const crossingAngleDeg = rng.uniform(20, 170);
    const target = secondaryTargetState(stateAt(satrecOf(primary), tcaMs), { missKm, crossingAngleDeg, missDirectionDeg: rng.uniform(0, 360) });
    const secondary = fitMeanElements(
      { noradId: nextId++, objectId: `${new Date(spec.epochMsUtc).getUTCFullYear()}-999${'ABCDEFGHJKLMNPQRSTUVWXYZ'[k % 24]}`, name: `SIM ENCOUNTER-${k + 1}`, epochMsUtc: spec.epochMsUtc - Math.round(rng.uniform(0, 0.5) * 86_400_000), bstar: 1e-4 },
      tcaMs,
      target,
    );
    objects.push(secondary);
    pairs.push([primary, secondary]);
    asked.push({ tcaUtc: new Date(tcaMs).toISOString(), missKm, crossingAngleDeg });
  }
  const lines = new Map<number, [string, string]>();
  const text: string[] = [];
  for (const el of objects) {
    const l = toLines(el);
    lines.set(el.noradId, l);
    text.push(el.name.padEnd(24, ' '), l[0], l[1]);
  }
  const encounters = pairs.map(([p, s], k): EngineeredEncounter => {
    const [p1, p2] = lines.get(p.noradId)!;
    const [s1, s2] = lines.get(s.noradId)!;
    const ca = closestApproach(twoline2satrec(p1, p2), twoline2satrec(s1, s2), Date.parse(asked[k].tcaUtc));
    return { primaryNoradId: p.noradId, secondaryNoradId: s.noradId, engineered: asked[k], tcaUtc: new Date(ca.tcaMsUtc).toISOString(), missKm: ca.missKm, relativeSpeedKmS: ca.relativeSpeedKmS };
  });
  const regimes: Record<string, number> = { fleet: pop.fleet.length, encounter: spec.encounters };
  for (const b of pop.background) regimes[b.regime] = (regimes[b.regime] ?? 0) + 1;
  return {
    seed: spec.seed,
    epochUtc: new Date(spec.epochMsUtc).toISOString(),
    objects: objects.length,
    fleet: pop.fleet.map((f) => ({ noradId: f.noradId, name: f.name })),
    regimes,
    encounters,
    tle: text.join('\n') + '\n',
  };
}
