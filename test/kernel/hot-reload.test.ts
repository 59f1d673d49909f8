import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kernel } from '../../kernel/kernel';
import { createTestKernel, type TestKernel } from '../../sdk/testing';
import { SDK, sleep, tempDir, until, writePlugin } from '../helpers';
import { Answer as A, Count, Counted } from './reload-fixture-topics';

// Topics shared by the test and the plugin files: both import them from this module, so the
// plugins written to disk reference the same objects (as real plugins share interfaces/).
const FIXTURE = path.join(__dirname, 'reload-fixture-topics');


function counterPlugin(version: string, word: string, extra = ''): string {
  return `import { definePlugin, z } from '${SDK}';
import { Answer, Count, Counted } from '${FIXTURE}';
let handled = 0;
export default definePlugin({
  name: 'counter',
  version: '${version}',
  kernel: '^1.0.0',
  config: z.object({ label: z.string().default('none') }).strict(),
  start(ctx) {
    ctx.bus.handle(Answer, () => ({ version: '${version}', word: '${word}' + ':' + ctx.config.label }));
    ctx.subscribe(Count, (m) => { handled++; ctx.publish(Counted, { n: m.n, by: '${version}' }); });
    ${extra}
  },
});
`;
}

describe('hot reload', function () {
  this.timeout(120_000);
  let tk: TestKernel | undefined;
  let kernel: Kernel | undefined;
  afterEach(async () => {
    await tk?.stop();
    await kernel?.stop();
    tk = undefined;
    kernel = undefined;
  });

  it('a code edit on disk takes effect without restarting the kernel; a broken edit leaves the old version serving', async () => {
    const root = tempDir();
    writePlugin(root, 'counter', counterPlugin('1.0.0', 'first'));
    tk = await createTestKernel({ pluginDirs: [root], watch: true, config: { kernel: { hotReload: { debounceMs: 50 } } } });
    expect(await tk.bus.request(A, {})).to.deep.equal({ version: '1.0.0', word: 'first:none' });
    writePlugin(root, 'counter', counterPlugin('1.1.0', 'second'));
    await until(async () => (await tk!.bus.request(A, {})).version === '1.1.0', 10_000, 'new version');
    expect(await tk.bus.request(A, {})).to.deep.equal({ version: '1.1.0', word: 'second:none' });
    // Broken edit: a syntax error. The old version keeps answering; the error is in the status.
    writePlugin(root, 'counter', counterPlugin('1.2.0', 'third').replace('handled++;', 'handled++ +;'));
    await until(() => Boolean(tk!.status('counter')!.reloadError), 10_000, 'reload error');
    const st = tk.status('counter')!;
    expect(st.state).to.equal('running');
    expect(st.version).to.equal('1.1.0');
    expect(st.reloadError!.message).to.match(new RegExp(`${root}/counter/plugin.ts:\\d+:\\d+`));
    expect(await tk.bus.request(A, {})).to.deep.equal({ version: '1.1.0', word: 'second:none' });
    // A version that loads but fails in start(): the previous one is started again.
    writePlugin(root, 'counter', counterPlugin('1.3.0', 'fourth', "throw new Error('bad start 1.3.0');"));
    await until(() => /bad start 1.3.0/.test(tk!.status('counter')!.reloadError?.message ?? ''), 10_000, 'start failure');
    expect(tk.status('counter')!.version).to.equal('1.1.0');
    expect((await tk.bus.request(A, {})).version).to.equal('1.1.0');
  });

  it('loses no message while 10,000 messages flow during a reload', async () => {
    const root = tempDir();
    writePlugin(root, 'counter', counterPlugin('1.0.0', 'a'));
    tk = await createTestKernel({ pluginDirs: [root] });
    const seen = new Set<number>();
    const byVersion = new Map<string, number>();
    tk.bus.subscribe(Counted, (m: { n: number; by: string }) => {
      seen.add(m.n);
      byVersion.set(m.by, (byVersion.get(m.by) ?? 0) + 1);
    });
    const total = 10_000;
    let sent = 0;
    const pump = (async () => {
      while (sent < total) {
        for (let i = 0; i < 200 && sent < total; i++) tk!.bus.publish(Count, { n: sent++ });
        await sleep(1);
      }
    })();
    await sleep(5);
    writePlugin(root, 'counter', counterPlugin('2.0.0', 'b'));
    const result = await tk.kernel.reload('counter', 'test');
    expect(result.ok, result.error).to.equal(true);
    await pump;
    await until(() => seen.size === total, 20_000, `${total} messages (have ${seen.size})`);
    expect(byVersion.get('1.0.0')! > 0 && byVersion.get('2.0.0')! > 0, JSON.stringify([...byVersion])).to.equal(true);
    expect(byVersion.get('1.0.0')! + byVersion.get('2.0.0')!).to.equal(total);
  });

  it('a config edit restarts only the plugin whose section changed', async () => {
    const root = tempDir();
    writePlugin(root, 'counter', counterPlugin('1.0.0', 'w'));
    writePlugin(
      root,
      'bystander',
      `import { definePlugin, z } from '${SDK}';
export default definePlugin({ name: 'bystander', version: '1.0.0', kernel: '^1.0.0', config: z.object({ n: z.number().default(1) }).strict(), start() {} });`,
    );
    const cfg = path.join(root, 'scoop.yaml');
    const write = (label: string, n = 1) =>
      fs.writeFileSync(cfg, `kernel:\n  dataDir: ${root}/var\n  pluginDirs: [${root}]\n  log: { console: false, file: null }\n  control: { enabled: false }\n  hotReload: { debounceMs: 50 }\nplugins:\n  counter:\n    config: { label: ${label} }\n  bystander:\n    config: { n: ${n} }\n`);
    write('one');
    kernel = new Kernel({ configFiles: [cfg], env: {}, builtinPluginDirs: [] });
    await kernel.start();
    expect((await kernel.bus.request(A, {}, 't')).word).to.equal('w:one');
    const bystanderStart = kernel.pluginStatus('bystander')[0].startedAt;
    const counterStart = kernel.pluginStatus('counter')[0].startedAt;
    await sleep(20);
    write('two');
    await until(async () => (await kernel!.bus.request(A, {}, 't')).word === 'w:two', 10_000, 'new label');
    expect(kernel.pluginStatus('bystander')[0].startedAt).to.equal(bystanderStart);
    expect(kernel.pluginStatus('counter')[0].startedAt).not.to.equal(counterStart);
    // An invalid edit is refused as a whole; the running configuration stays.
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('n: 1', 'n: lots'));
    await sleep(600);
    expect(kernel.pluginStatus('bystander')[0].startedAt).to.equal(bystanderStart);
    // Disabling in config stops the plugin; enabling starts it again.
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('n: lots', 'n: 1').replace('  bystander:\n', '  bystander:\n    enabled: false\n'));
    await until(() => kernel!.pluginStatus('bystander')[0].state === 'stopped', 10_000, 'bystander stopped');
    write('two');
    await until(() => kernel!.pluginStatus('bystander')[0].state === 'running', 10_000, 'bystander running again');
  });

  it('hot-loads a plugin folder added while running', async () => {
    const root = tempDir();
    tk = await createTestKernel({ pluginDirs: [root], watch: true, config: { kernel: { hotReload: { debounceMs: 50 } } } });
    await sleep(300); // let the watcher settle
    writePlugin(root, 'counter', counterPlugin('1.0.0', 'late'));
    await tk.waitForState('counter', 'running', 10_000);
    expect((await tk.bus.request(A, {})).word).to.equal('late:none');
  });

  it('does not grow the heap by more than 20 MB over 200 reloads', async function () {
    if (typeof global.gc !== 'function') this.skip();
    const root = tempDir();
    // Each version carries ~200 kB of its own data, so a leaked version would show.
    const bulky = (v: number) => counterPlugin(`1.0.${v}`, 'x', `const table = ${JSON.stringify(Array.from({ length: 5000 }, (_, i) => `row-${v}-${i}`))}; ctx.onDispose(() => { table.length = table.length; });`);
    writePlugin(root, 'counter', bulky(0));
    tk = await createTestKernel({ pluginDirs: [root] });
    for (let i = 1; i <= 20; i++) {
      writePlugin(root, 'counter', bulky(i));
      expect((await tk.kernel.reload('counter')).ok).to.equal(true);
    }
    const heap = () => {
      global.gc!();
      global.gc!();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    const times: number[] = [];
    for (let i = 21; i <= 220; i++) {
      writePlugin(root, 'counter', bulky(i));
      const t0 = Date.now();
      expect((await tk.kernel.reload('counter')).ok).to.equal(true);
      times.push(Date.now() - t0);
    }
    expect((await tk.bus.request(A, {})).version).to.equal('1.0.220');
    await sleep(50);
    const growthMB = (heap() - before) / 1048576;
    expect(growthMB, `heap grew ${growthMB.toFixed(1)} MB`).to.be.lessThan(20);
  });
});
