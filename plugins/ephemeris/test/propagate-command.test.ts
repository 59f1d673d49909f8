import { expect } from 'chai';
import * as fs from 'node:fs';
import type { PropagationOutcome } from '../../../interfaces/services/propagation';
import { referenceDataPath } from '../../../sdk/reference-data';
import { propagateCommand } from '../propagate-command';
import { verificationCases } from './vallado';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), readFile: (p: string) => fs.promises.readFile(p, 'utf8') } };
}

describe('sgp4 cli: scoop propagate', () => {
  const file = referenceDataPath('sgp4-verification/SGP4-VER.TLE');

  it('--minutes from the TLE epoch reproduces tcppver.out for 00005 (Orekit tolerance 2 mm, 1e-5 m/s)', async () => {
    const ref = verificationCases().find((c) => c.satnum === 5)!;
    const t = io();
    expect(await propagateCommand(['--tle', file, '--norad', '5', '--minutes', '0:4320:360', '--json'], t.io)).to.equal(0);
    const o = JSON.parse(t.out.join('\n')) as Extract<PropagationOutcome, { ok: true }>;
    expect(o.posKm).to.have.length(ref.rows.length);
    ref.rows.forEach((row, k) => {
      expect(Math.hypot(o.posKm[k][0] - row[1], o.posKm[k][1] - row[2], o.posKm[k][2] - row[3])).to.be.at.most(2e-6);
      expect(Math.hypot(o.velKmS[k][0] - row[4], o.velKmS[k][1] - row[5], o.velKmS[k][2] - row[6])).to.be.at.most(1e-8);
    });
  });

  it('prints a table for a UTC window, and says when a frame uses zero EOP', async () => {
    const t = io();
    expect(await propagateCommand(['--tle', file, '--norad', '5', '--start', '2000-06-28T00:00:00Z', '--stop', '2000-06-28T00:02:00Z', '--step', '60', '--frame', 'GCRF'], t.io)).to.equal(0);
    expect(t.out[0]).to.contain('NORAD 5').and.contain('frame GCRF');
    expect(t.out.slice(2).map((l) => l.split(/\s+/)[0])).to.deep.equal(['2000-06-28T00:00:00.000Z', '2000-06-28T00:01:00.000Z', '2000-06-28T00:02:00.000Z']);
    expect(t.err.join('\n')).to.contain('zero EOP');
  });

  it('exit 1 with the typed error for a decaying object, 2 for usage errors', async () => {
    const decay = io();
    expect(await propagateCommand(['--tle', file, '--norad', '28872', '--minutes', '0:60:5'], decay.io)).to.equal(1);
    expect(decay.err.join('\n')).to.contain('decayed').and.contain('SGP4 error 6');
    const usage = io();
    expect(await propagateCommand(['--tle', file, '--norad', '5'], usage.io)).to.equal(2);
    expect(usage.err.join('\n')).to.contain('give either --start/--stop/--step or --minutes');
    const missing = io();
    expect(await propagateCommand(['--tle', file, '--norad', '99999', '--minutes', '0:10:5'], missing.io)).to.equal(1);
    expect(missing.err.join('\n')).to.contain('NORAD 99999 is not in');
  });
});
