import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CollisionProbabilityToken, type PcInput } from '../../../interfaces/services/collision';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { pcInputFromCdmText } from '../cdm-input';
import { pcCommand, type PcCliIo } from '../pc-command';

const PLUGIN = path.join(__dirname, '..');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** A CARA CDM and its published Pc2D (pc-test-cases/expected-pc.csv, row TERRA vs IRIDIUM 33 DEB). */
const CARA_ID = '000025994_conj_000037558_20210324_151047_20210323_154356';
const CARA_FILE = `ccsds/nasa-cara/pc-test-cases/${CARA_ID}.cdm`;
const CARA_PC2D = 0.021173811560368256;

function inputFromCdm(rel: string, hbr?: number): PcInput {
  const c = pcInputFromCdmText(readReferenceText(rel), rel);
  return { tcaUtc: c.tcaUtc, primary: c.primary, secondary: c.secondary, hardBodyRadiusM: hbr ?? c.hardBodyRadiusM! };
}

describe('collision-probability plugin (kernel)', function () {
  this.timeout(20_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-plugin-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts with no config section and serves a batch through k.service(CollisionProbabilityToken)', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], config: { kernel: { dataDir: path.join(tmp, 'var') } } });
    await tk.waitForState('collision-probability', 'running');
    const pc = tk.service(CollisionProbabilityToken);
    const input = inputFromCdm(CARA_FILE);
    const out = await pc.compute({ inputs: [input], methods: ['foster', 'chan', 'patera', 'max-pc', 'monte-carlo-linear'], monteCarlo: { samples: 20_000, seed: 3 } });
    expect(out).to.have.length(1);
    const [foster, chanR, patera, max, mc] = out[0];
    // Published CARA Pc2D (projected miss = TCA-adjusted), 1e-6 relative as in reference.test.ts.
    expect(foster.method).to.equal('foster');
    expect(rel(foster.pc, CARA_PC2D)).to.be.below(1e-6);
    expect(rel(patera.pc, foster.pc)).to.be.below(1e-9);
    expect(rel(chanR.pc, foster.pc)).to.be.below(0.05); // Chan's equal-area approximation
    expect(max.pc).to.be.at.least(foster.pc);
    expect(mc.interval![0]).to.be.at.most(foster.pc * 1.2);
    expect(foster.missDistanceM).to.be.closeTo(107.549820241461, 1e-3);
    expect(foster.flags).to.deep.equal([]);
    // Square of side 2R > disc of radius R; only Foster integrates the square.
    const [[square]] = await pc.compute({ inputs: [{ ...input, hardBodyShape: 'square' }], methods: ['foster'] });
    expect(square.pc).to.be.above(foster.pc);
    await expectReject(pc.compute({ inputs: [{ ...input, hardBodyShape: 'square' }], methods: ['chan'] }), /square hard-body area is implemented by foster only/);
    // The result is plain JSON (it may cross a process boundary).
    expect(JSON.parse(JSON.stringify(out))).to.deep.equal(out);
  });

  it('refuses bad requests with errors that name the input and field, and honours its config', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], config: { kernel: { dataDir: path.join(tmp, 'var') }, plugins: { 'collision-probability': { config: { monteCarlo: { maxSamples: 1000 } } } } } });
    const pc = tk.service(CollisionProbabilityToken);
    const input = inputFromCdm(CARA_FILE);
    await expectReject(pc.compute({ inputs: [{ ...input, hardBodyRadiusM: -1 }], methods: ['foster'] }), /inputs\[0\]\.hardBodyRadiusM/);
    await expectReject(pc.compute({ inputs: [input], methods: ['nope' as never] }), /unknown method 'nope'/);
    await expectReject(pc.compute({ inputs: [input], methods: ['monte-carlo-linear'], monteCarlo: { samples: 5000, seed: 1 } }), /exceeds the configured maximum 1000/);
    const noCov = { ...input, secondary: { posKm: input.secondary.posKm, velKmS: input.secondary.velKmS } };
    await expectReject(pc.compute({ inputs: [noCov], methods: ['foster'] }), /secondary covariance is missing.*max-pc/);
    const [[max]] = await pc.compute({ inputs: [noCov], methods: ['max-pc'] });
    expect(max.flags).to.include('covariance-missing');
  });
});

async function expectReject(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as Error).message).to.match(re);
    return;
  }
  throw new Error(`expected a rejection matching ${re}`);
}

describe('collision-probability CLI (scoop pc)', () => {
  const run = async (args: string[], files: Record<string, string> = {}, extra: Partial<PcCliIo> = {}) => {
    let out = '';
    let err = '';
    const io: PcCliIo = {
      readFile: (p) => {
        if (p in files) return files[p];
        return fs.readFileSync(p, 'utf8');
      },
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      ...extra,
    };
    const code = await pcCommand(args, io);
    return { code, out, err };
  };

  it('--cdm --json prints pc, method, hbrM, missDistanceM and flags (HBR from the CDM)', async () => {
    const r = await run(['--cdm', referenceDataPath(CARA_FILE), '--json']);
    expect(r.code, r.err).to.equal(0);
    const doc = JSON.parse(r.out);
    expect(doc).to.include({ method: 'foster', hbrM: 15, hbrSource: 'cdm' });
    expect(rel(doc.pc, CARA_PC2D)).to.be.below(1e-6);
    expect(doc.missDistanceM).to.be.closeTo(107.549820241461, 1e-3);
    expect(doc.flags).to.deep.equal([]);
  });

  it('--hbr-shape square on the CSpOC ITRF CDM gives its reported Pc; text output names the flags', async () => {
    const file = referenceDataPath('ccsds/orekit/cdm/ION_SCV8_vs_STARLINK_1233.txt');
    const j = await run(['--cdm', file, '--hbr-m', '10', '--hbr-shape', 'square', '--json']);
    const doc = JSON.parse(j.out);
    expect(rel(doc.pc, 0.004450713)).to.be.below(3e-5);
    expect(doc.flags).to.include('itrf-converted');
    const t = await run(['--cdm', file, '--hbr-m', '10', '--method', 'max']);
    expect(t.code).to.equal(0);
    expect(t.out).to.match(/Pc \(max-pc, circle HBR 10 m from --hbr-m\)/);
    expect(t.out).to.match(/CDM reports 0\.004450713 \(FOSTER-1992\)/);
  });

  it('HBR falls back to the catalog table, then to the configured default', async () => {
    const text = readReferenceText(CARA_FILE).replace(/^COMMENT HBR.*$/m, '');
    const files = { 'x.cdm': text };
    const cat = await run(['--cdm', 'x.cdm', '--json'], files, { hbrLookup: (id) => (id === 25994 ? 10 : id === 37558 ? 0.5 : undefined) });
    expect(JSON.parse(cat.out)).to.include({ hbrM: 10.5, hbrSource: 'catalog' });
    const def = await run(['--cdm', 'x.cdm', '--json'], files);
    expect(JSON.parse(def.out)).to.include({ hbrM: 10, hbrSource: 'config' });
  });

  it('--batch computes every conjunction, 3×3 or 6×6 RTN covariances, and reports bad items by index', async () => {
    const c = pcInputFromCdmText(readReferenceText(CARA_FILE));
    const item = (id: string, cov: 3 | 6) => ({
      id,
      hbrM: 15,
      primary: { rKm: c.primary.posKm, vKmS: c.primary.velKmS, covRtnM2: c.primary.covRtnM2!.slice(0, cov).map((r) => r.slice(0, cov)) },
      secondary: { rKm: c.secondary.posKm, vKmS: c.secondary.velKmS, covRtnM2: c.secondary.covRtnM2!.slice(0, cov).map((r) => r.slice(0, cov)) },
    });
    const files = { 'b.json': JSON.stringify([item('a', 3), item('b', 6)]) };
    const r = await run(['--batch', 'b.json'], files);
    expect(r.code, r.err).to.equal(0);
    const out = JSON.parse(r.out);
    expect(out.map((o: { id: string }) => o.id)).to.deep.equal(['a', 'b']);
    for (const o of out) expect(rel(o.pc, CARA_PC2D)).to.be.below(1e-6);
    const bad = await run(['--batch', 'b.json'], { 'b.json': JSON.stringify([item('a', 3), { id: 'z', hbrM: 0 }]) });
    expect(bad.code).to.equal(1);
    expect(bad.err).to.match(/b\.json: \[1\] \(id z\): hbrM/);
    expect(JSON.parse(bad.out)[0].pc).to.be.a('number');
  });

  it('usage errors exit 2 with the usage text', async () => {
    for (const args of [[], ['--cdm'], ['--cdm', 'a', '--batch', 'b'], ['--cdm', 'a', '--method', 'magic'], ['--cdm', 'a', '--hbr-m', '-3']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.err).to.match(/usage: scoop pc/);
    }
    const missing = await run(['--cdm', '/nonexistent/file.cdm']);
    expect(missing.code).to.equal(1);
    expect(missing.err).to.match(/nonexistent\/file\.cdm/);
  });
});
