import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keplerianToCartesian } from '../../../sdk/astro/elements';
import { Epoch } from '../../../sdk/astro/time';
import { propagateTwoBody } from '../../../sdk/astro/twobody';
import { parseNdm, type Oem } from '../../../sdk/ccsds';
import { referenceDataPath } from '../../../sdk/reference-data';
import { formatPropagation, FormatError, rowsFromOutcome, type PropagatedRow, type PropagatedTable } from '../format';

/** Output formats of `scoop propagate --format` (a pure function; the CLI wiring is elsewhere). */
describe('ephemeris propagate output formats (json, csv, oem-kvn, oem-xml)', () => {
  const s0 = keplerianToCartesian({ aKm: 7000, e: 0.01, iRad: 1, raanRad: 2, argpRad: 0.3, trueAnomalyRad: 0.4 });
  const t0 = Epoch.parse('2026-05-07T12:00:00', 'UTC');
  const states = [0, 60, 120, 180].map((dt) => {
    const s = propagateTwoBody(s0.posKm, s0.velKmS, dt);
    return { epochUtc: t0.plusSeconds(dt).toIso('UTC', 3), posKm: s.posKm, velKmS: s.velKmS };
  });
  const rows: PropagatedRow[] = [...states];
  rows.splice(2, 0, { epochUtc: '2026-05-07T12:01:30.000', error: 'decayed: "lost", radius < 1 Earth radius' });
  const table: PropagatedTable = { objectId: '25544', objectName: 'ISS (ZARYA)', frame: 'TEME', rows, source: 'propagator.sgp4' };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eph-format-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('json: one element per epoch in order, states as { epoch, frame, r, v } (exact numbers), failures as { epoch, error }', () => {
    const out = JSON.parse(formatPropagation(table, 'json')) as Record<string, unknown>[];
    expect(out).to.have.length(5);
    expect(out[0]).to.deep.equal({ epoch: '2026-05-07T12:00:00.000Z', frame: 'TEME', r: states[0].posKm, v: states[0].velKmS });
    expect(out[2]).to.deep.equal({ epoch: '2026-05-07T12:01:30.000Z', error: 'decayed: "lost", radius < 1 Earth radius' });
    expect(out.map((o) => o.epoch)).to.deep.equal(['2026-05-07T12:00:00.000Z', '2026-05-07T12:01:00.000Z', '2026-05-07T12:01:30.000Z', '2026-05-07T12:02:00.000Z', '2026-05-07T12:03:00.000Z']);
    expect(formatPropagation({ ...table, rows: [] }, 'json')).to.equal('[]\n');
  });

  it('csv: header, one line per epoch, the error quoted (RFC 4180) where there is no state', () => {
    const lines = formatPropagation(table, 'csv').trimEnd().split('\n');
    expect(lines[0]).to.equal('epoch_utc,frame,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s,error');
    expect(lines).to.have.length(6);
    const first = lines[1].split(',');
    expect(first.slice(2, 8).map(Number)).to.deep.equal([...states[0].posKm, ...states[0].velKmS]);
    expect(first[8]).to.equal('');
    expect(lines[3]).to.equal('2026-05-07T12:01:30.000Z,TEME,,,,,,,"decayed: ""lost"", radius < 1 Earth radius"');
  });

  it('oem-kvn and oem-xml: an OEM of the states (failed epochs as comments) that reads back exactly; the XML validates against the CCSDS schema', () => {
    for (const format of ['oem-kvn', 'oem-xml'] as const) {
      const text = formatPropagation(table, format, { originator: 'SCOOP CLI', creationUtc: '2026-05-07T13:00:00Z' });
      const oem = parseNdm(text, { file: format, mode: 'strict' }).message as Oem;
      const seg = oem.segments[0];
      expect(seg.metadata.fields).to.include({ OBJECT_ID: '25544', OBJECT_NAME: 'ISS (ZARYA)', REF_FRAME: 'TEME', TIME_SYSTEM: 'UTC', INTERPOLATION: 'LAGRANGE', INTERPOLATION_DEGREE: 8 });
      expect(seg.metadata.comments.join('\n')).to.contain('no state at 2026-05-07T12:01:30.000Z: decayed');
      const ok = rows.filter((r): r is Extract<PropagatedRow, { posKm: unknown }> => 'posKm' in r);
      expect(seg.states.map((s) => [...s.posKm, ...s.velKmS])).to.deep.equal(ok.map((r) => [...r.posKm, ...r.velKmS]));
      if (format === 'oem-xml') {
        const file = path.join(tmp, 'p.xml');
        fs.writeFileSync(file, text);
        execFileSync('/usr/bin/xmllint', ['--noout', '--schema', referenceDataPath('ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd'), file], { stdio: 'pipe' });
      }
    }
  });

  it('refuses an OEM without any state and names the first failure; a failed outcome fails every instant', () => {
    const failed = rowsFromOutcome({ id: 'x', ok: false, error: { code: 'decayed', message: 'radius below 1 Earth radius', atUtc: '2026-05-07T12:00:30Z' } }, ['2026-05-07T12:00:00Z', '2026-05-07T12:01:00Z']);
    expect(failed).to.deep.equal([
      { epochUtc: '2026-05-07T12:00:00Z', error: 'decayed: radius below 1 Earth radius (at 2026-05-07T12:00:30Z)' },
      { epochUtc: '2026-05-07T12:01:00Z', error: 'decayed: radius below 1 Earth radius (at 2026-05-07T12:00:30Z)' },
    ]);
    expect(() => formatPropagation({ ...table, rows: failed }, 'oem-kvn')).to.throw(FormatError, /no state to write in an OEM: all 2 epoch\(s\) failed \(first: 2026-05-07T12:00:00Z: decayed/);
    expect(() => formatPropagation(table, 'yaml' as never)).to.throw(FormatError, /format 'yaml'/);
  });
});
