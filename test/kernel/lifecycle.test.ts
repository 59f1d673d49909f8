import { expect } from 'chai';
import { createTestKernel, type TestKernel } from '../../sdk/testing';
import { defineService, definePlugin, PluginStateTopic, z, type PluginDefinition } from '../../sdk';
import { until } from '../helpers';

interface Clock {
  nowUtc(): Promise<string>;
}
const ClockToken = defineService<Clock>({ name: 'test.clock', version: '1.0.0', description: 'clock' });
const AToken = defineService<{ a(): Promise<string> }>({ name: 'test.a', version: '1.0.0', description: 'a' });
const BToken = defineService<{ b(): Promise<string> }>({ name: 'test.b', version: '1.0.0', description: 'b' });
const CToken = defineService<{ c(): Promise<string> }>({ name: 'test.c', version: '1.0.0', description: 'c' });

function recorder() {
  const events: string[] = [];
  const plugin = (name: string, opts: { provides?: any[]; requires?: any[]; failStart?: boolean; start?: (ctx: any) => void } = {}): PluginDefinition =>
    definePlugin({
      name,
      version: '1.0.0',
      kernel: '^1.0.0',
      provides: opts.provides,
      requires: opts.requires,
      async start(ctx) {
        events.push(`start ${name}`);
        if (opts.failStart) throw new Error(`${name} cannot reach its database`);
        for (const t of opts.provides ?? []) ctx.provide(t, { [t.name.split('.')[1]]: async () => name });
        opts.start?.(ctx);
      },
      stop() {
        events.push(`stop ${name}`);
      },
    });
  return { events, plugin };
}

describe('plugin lifecycle', () => {
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
  });

  it('starts in dependency order, stops in reverse, and wires services', async () => {
    const { events, plugin } = recorder();
    tk = await createTestKernel({
      plugins: [
        plugin('consumer', { requires: [BToken] }),
        plugin('middle', { provides: [BToken], requires: [AToken] }),
        plugin('base', { provides: [AToken] }),
      ],
    });
    expect(events).to.deep.equal(['start base', 'start middle', 'start consumer']);
    expect(await tk.service(BToken).b()).to.equal('middle');
    expect(tk.status('consumer')!.dependsOn).to.deep.equal(['middle']);
    await tk.stop();
    tk = undefined;
    expect(events.slice(3)).to.deep.equal(['stop consumer', 'stop middle', 'stop base']);
  });

  it('rejects a dependency cycle naming its members, and keeps the rest running', async () => {
    const { events, plugin } = recorder();
    tk = await createTestKernel({
      plugins: [
        plugin('alpha', { provides: [AToken], requires: [CToken] }),
        plugin('beta', { provides: [BToken], requires: [AToken] }),
        plugin('gamma', { provides: [CToken], requires: [BToken] }),
        plugin('free', { provides: [ClockToken] }),
      ],
    });
    for (const n of ['alpha', 'beta', 'gamma']) {
      const s = tk.status(n)!;
      expect(s.state).to.equal('failed');
      expect(s.reason).to.equal('dependency cycle: alpha -> gamma -> beta -> alpha');
    }
    expect(tk.status('free')!.state).to.equal('running');
    expect(events).to.deep.equal(['start free']);
  });

  it('fails a plugin whose start throws, fails its dependents naming it, keeps the others', async () => {
    const { plugin } = recorder();
    tk = await createTestKernel({
      plugins: [
        plugin('db', { provides: [AToken], failStart: true }),
        plugin('user-of-db', { provides: [BToken], requires: [AToken] }),
        plugin('second-level', { requires: [BToken] }),
        plugin('optional-user', { requires: [{ token: AToken, optional: true }] as any }),
        plugin('unrelated', { provides: [ClockToken] }),
      ],
    });
    expect(tk.status('db')).to.include({ state: 'failed', reason: 'start failed: db cannot reach its database' });
    expect(tk.status('user-of-db')!.reason).to.equal("dependency 'db' failed: start failed: db cannot reach its database");
    expect(tk.status('second-level')!.reason).to.match(/^dependency 'user-of-db' failed: dependency 'db' failed/);
    expect(tk.status('optional-user')!.state).to.equal('running');
    expect(tk.status('unrelated')!.state).to.equal('running');
  });

  it('reports a required service nobody provides', async () => {
    const { plugin } = recorder();
    tk = await createTestKernel({ plugins: [plugin('lonely', { requires: [ClockToken] })] });
    expect(tk.status('lonely')!.reason).to.equal("required service 'test.clock' is not provided by any enabled plugin");
  });

  it('aborts the boot when a plugin with onBootFailure: abort fails', async () => {
    const { events, plugin } = recorder();
    let error: Error | undefined;
    try {
      await createTestKernel({
        plugins: [plugin('first', { provides: [AToken] }), plugin('critical', { requires: [AToken], failStart: true })],
        config: { plugins: { critical: { onBootFailure: 'abort' } } },
      });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.match(/plugin 'critical' failed to start and its onBootFailure is 'abort'/);
    expect(events).to.deep.equal(['start first', 'start critical', 'stop first']);
  });

  it('publishes every state transition on plugin.state', async () => {
    const { plugin } = recorder();
    tk = await createTestKernel({ plugins: [plugin('watched')] });
    const states = tk.collect(PluginStateTopic);
    await tk.kernel.disable('watched');
    await tk.kernel.enable('watched');
    await until(() => states.messages.filter((m) => m.plugin === 'watched').length >= 4);
    expect(states.messages.filter((m) => m.plugin === 'watched').map((m) => m.state)).to.deep.equal(['stopping', 'stopped', 'validated', 'starting', 'running']);
  });

  it('releases everything a plugin acquired through its context when it stops', async () => {
    let ticks = 0;
    const Topic = (await import('../../sdk')).defineTopic({ name: 'test.tick', version: '1.0.0', description: 't', schema: z.object({ n: z.number() }) });
    const p = definePlugin({
      name: 'holder',
      version: '1.0.0',
      kernel: '^1.0.0',
      start(ctx) {
        ctx.scheduler.every(10, () => {
          ticks++;
        });
        ctx.subscribe(Topic, () => {});
        ctx.watch(ctx.dataDir, () => {});
      },
    });
    tk = await createTestKernel({ plugins: [p] });
    await until(() => ticks > 2);
    expect(tk.kernel.bus.stats().filter((s) => s.owner === 'holder').length).to.equal(1);
    await tk.kernel.disable('holder');
    const after = ticks;
    await new Promise((r) => setTimeout(r, 60));
    expect(ticks).to.equal(after);
    expect(tk.kernel.bus.stats().filter((s) => s.owner === 'holder').length).to.equal(0);
  });
});
