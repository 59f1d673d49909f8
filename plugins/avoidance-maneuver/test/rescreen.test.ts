import { expect } from 'chai';
import type { Conjunction } from '../../../interfaces/domain/conjunction';
import type { ConjunctionScreener } from '../../../interfaces/services/collision';
import { propagateTwoBody } from '../../../sdk/astro/twobody';
import { type Vec3, add, norm, scale, sub } from '../../../sdk/astro/vec';
import { avoidanceConfig } from '../config';
import { burnGeometry, propagatedPrimary } from '../linear';
import { planOptions, statesOf } from '../planner';
import { rescreen } from '../service';
import { headOn } from './fixture';

// Re-screening logic (service.ts `rescreen`): the screener's answer for the un-manoeuvred
// orbit is a second approach one hour after the event's TCA, built so that the manoeuvred
// primary — propagated directly (two-body, independent of the STM) — passes `offsetKm` from
// the secondary. A screener object answering with that list stands in for
// conjunction-screening, which cannot screen hand-built states (catalog primaries only).

const tca = '2030-01-01T12:00:00.000Z';
const cfg = avoidanceConfig.parse({});

async function setting(offsetKm: number) {
  const c = headOn(20, tca, 'EV');
  const plan = await planOptions(c, { earliestUtc: '2030-01-01T00:00:00Z', latestUtc: tca }, { ...cfg, maxHalfRevolutions: 2, directions: ['along-track'], missFloorKm: 0.5 }, undefined);
  const o = plan.options[0];
  const { p } = statesOf(c);
  const tca2Ms = Date.parse(tca) + 3_600_000;
  const at2 = propagateTwoBody(p.posKm, p.velKmS, 3600);
  const lead2 = (tca2Ms - Date.parse(o.burnUtc)) / 1000;
  const moved = propagatedPrimary(burnGeometry(at2.posKm, at2.velKmS, lead2), o.dvRtnKmS);
  // Secondary head-on, offset along the orbit normal (⊥ relative velocity) from the moved primary.
  const h = [0, -Math.sin((51.6 * Math.PI) / 180), Math.cos((51.6 * Math.PI) / 180)];
  const sPos = add(moved.posKm, scale(h, offsetKm / norm(h)));
  const sVel = scale(at2.velKmS, -1);
  const epoch = { iso: new Date(tca2Ms).toISOString().replace('Z', ''), scale: 'UTC' as const };
  const other: Conjunction = {
    ...c,
    id: 'OTHER',
    tcaUtc: new Date(tca2Ms).toISOString(),
    missDistanceKm: norm(sub(sPos, at2.posKm)),
    primary: { ...c.primary, stateAtTca: { epoch, frame: 'GCRF', posKm: [...at2.posKm] as Vec3, velKmS: [...at2.velKmS] as Vec3 } },
    secondary: { noradId: 90003, objectId: '90003', stateAtTca: { epoch, frame: 'GCRF', posKm: sPos, velKmS: sVel } },
  };
  const requests: Parameters<ConjunctionScreener['screen']>[0][] = [];
  const screener: ConjunctionScreener = {
    async screen(req) {
      requests.push(req);
      return { conjunctions: [c, other], stats: { pairs: 2, candidates: 2, refined: 2, durationMs: 1, skipped: [] } };
    },
  };
  return { c, o, screener, requests, other };
}

describe('avoidance-maneuver re-screening', () => {
  it('rejects an option that brings another object under the miss floor', async () => {
    const { c, o, screener, requests, other } = await setting(0.1);
    // The original approach was well outside the floor: the burn creates it.
    expect(other.missDistanceKm).to.be.above(0.5);
    const check = await rescreen(c, o, { ...cfg, missFloorKm: 0.5 }, screener);
    expect(check.ok).to.equal(false);
    expect(check.detail).to.match(/90003 at .*: 0\.1\d\d km after the burn/);
    expect(requests[0].primaries).to.deep.equal([{ noradId: 90001 }]);
    expect(requests[0].startUtc).to.equal(o.burnUtc);
    expect(requests[0].missDistanceKm).to.be.above(0.5 + other.missDistanceKm - 0.1);
  });

  it('accepts it when the moved primary stays clear; says when it cannot re-screen', async () => {
    const { c, o, screener } = await setting(3);
    const check = await rescreen(c, o, { ...cfg, missFloorKm: 0.5 }, screener);
    expect(check.ok, check.detail).to.equal(true);
    expect(check.detail).to.match(/1 other approach\(es\), none under 0.5 km/);
    const noId = { ...c, primary: { ...c.primary, noradId: undefined } };
    expect((await rescreen(noId, o, cfg, screener)).detail).to.match(/has no NORAD id/);
    expect((await rescreen(c, o, cfg, undefined)).detail).to.match(/conjunction-screening not running/);
  });
});
