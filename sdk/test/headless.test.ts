import { expect } from 'chai';
import * as fs from 'node:fs';
import { SDK, tempDir, writePlugin } from '../../test/helpers';
import { EopProviderToken } from '../../interfaces/services/reference-data';
import { HeadlessKernelError, startHeadlessKernel } from '../headless';
import { readReferenceText } from '../reference-data';

/** sdk/headless.ts: a real, quiet kernel for tools, that leaves nothing behind. */
describe('sdk/headless: startHeadlessKernel', function () {
  this.timeout(30_000);

  it('runs the named built-in plugins only, serves their services, and removes its data directory on stop', async () => {
    const hk = await startHeadlessKernel({ plugins: ['eop'] });
    try {
      expect(fs.existsSync(hk.dataDir)).to.equal(true);
      expect(hk.kernel.pluginStatus().map((p) => [p.name, p.state])).to.deep.equal([['eop', 'running']]);
      // the eop module's default table (IERS finals2000A of the reference data): its MJD 51544 line
      // gives UT1−UTC = 0.3554779 s (Bulletin A, columns 59-68); read from the file, not retyped.
      const line = readReferenceText('eop/iers-finals2000A.all')
        .split('\n')
        .find((l) => Number(l.slice(7, 15)) === 51544)!;
      const [r] = await hk.service(EopProviderToken).at([51544]);
      expect(r.ut1MinusUtcS).to.be.closeTo(Number(line.slice(58, 68)), 1e-12); // at a table node: equal up to rounding
      expect(hk.kernel.kernelConfig.control.enabled).to.equal(false);
      expect(hk.kernel.kernelConfig.hotReload.enabled).to.equal(false);
      expect(hk.kernel.kernelConfig.log.console).to.equal(false);
    } finally {
      await hk.stop();
    }
    expect(fs.existsSync(hk.dataDir)).to.equal(false);
    await hk.stop(); // a second stop is harmless
  });

  it('refuses a plugin that does not exist or does not start, naming it and why, and leaves nothing behind', async () => {
    let err: unknown;
    try {
      await startHeadlessKernel({ plugins: ['no-such-plugin'] });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.contain('no plugin in').and.contain('no-such-plugin');
    const root = tempDir();
    try {
      const dir = writePlugin(
        root,
        'broken',
        `import { definePlugin } from '${SDK}';
export default definePlugin({ name: 'broken', version: '1.0.0', kernel: '*', start() { throw new Error('cannot open the widget'); } });
`,
      );
      // A private TMPDIR (os.tmpdir() reads it at each call) shows what the failed start left there.
      const tmp = tempDir();
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      err = undefined;
      try {
        await startHeadlessKernel({ plugins: [dir] });
      } catch (e) {
        err = e;
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      expect(err).to.be.instanceOf(HeadlessKernelError);
      expect((err as HeadlessKernelError).message).to.contain("plugin 'broken' is failed").and.contain('cannot open the widget');
      expect(fs.readdirSync(tmp)).to.deep.equal([]);
      fs.rmSync(tmp, { recursive: true, force: true });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
