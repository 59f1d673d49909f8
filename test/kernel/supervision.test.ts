import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CronExpression, ScheduleState } from '../../kernel/scheduler';
import { createTestKernel, type TestKernel } from '../../sdk/testing';
import { definePlugin, defineTopic, z } from '../../sdk';
import { sleep, tempDir, until } from '../helpers';

const Poke = defineTopic({ name: 'test.poke', version: '1.0.0', description: 'poke', schema: z.object({ crash: z.boolean() }).strict() });

describe('supervision', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
  });

  it('restarts a crashing plugin with exponential back-off, then marks it failed at the limit', async () => {
    const starts: number[] = [];
    let handled = 0;
    const fragile = definePlugin({
      name: 'fragile',
      version: '1.0.0',
      kernel: '^1.0.0',
      start(ctx) {
        starts.push(Date.now());
        ctx.subscribe(Poke, (m) => {
          handled++;
          if (m.crash) throw new Error(`crash #${starts.length}`);
        });
      },
    });
    const bystander = definePlugin({ name: 'bystander', version: '1.0.0', kernel: '^1.0.0', start() {} });
    tk = await createTestKernel({
      plugins: [fragile, bystander],
      config: { kernel: { supervision: { restart: { initialDelayMs: 50, maxDelayMs: 1000, maxRestarts: 3, windowMs: 60_000 } } } },
    });
    for (let i = 1; i <= 3; i++) {
      tk.bus.publish(Poke, { crash: true });
      await until(() => starts.length === i + 1 && tk!.status('fragile')!.state === 'running', 5000, `restart ${i}`);
    }
    const gaps = [starts[1] - starts[0], starts[2] - starts[1], starts[3] - starts[2]];
    // Back-off doubles from 50 ms: at least 50, 100, 200 ms between crash and restart.
    expect(gaps[0]).to.be.at.least(45);
    expect(gaps[1]).to.be.at.least(95);
    expect(gaps[2]).to.be.at.least(195);
    const st = tk.status('fragile')!;
    expect(st.restarts).to.equal(3);
    expect(st.lastError!.message).to.match(/handler of 'test.poke': crash #3/);
    // The restarted plugin still works.
    tk.bus.publish(Poke, { crash: false });
    await until(() => handled === 4);
    // Fourth crash within the window: over the limit, failed for good; the kernel and others keep running.
    tk.bus.publish(Poke, { crash: true });
    await until(() => tk!.status('fragile')!.state === 'failed', 5000, 'failed');
    expect(tk.status('fragile')!.reason).to.match(/^crashed 4 times within 60000 ms; last: handler of 'test.poke': crash #4/);
    expect(tk.status('bystander')!.state).to.equal('running');
  });

  it('treats a throwing timer as a crash too', async () => {
    let starts = 0;
    const p = definePlugin({
      name: 'ticker',
      version: '1.0.0',
      kernel: '^1.0.0',
      start(ctx) {
        starts++;
        if (starts === 1) ctx.scheduler.after(10, () => Promise.reject(new Error('timer failed')));
      },
    });
    tk = await createTestKernel({ plugins: [p] });
    await until(() => starts === 2 && tk!.status('ticker')!.state === 'running');
    expect(tk.status('ticker')!.lastError!.message).to.match(/timer failed/);
  });

  it('records heartbeats and health reports', async () => {
    const p = definePlugin({ name: 'healthy', version: '1.0.0', kernel: '^1.0.0', start() {}, health: () => ({ status: 'degraded', detail: 'EOP predictions older than 30 days' }) });
    tk = await createTestKernel({ plugins: [p] });
    await until(() => Boolean(tk!.status('healthy')!.lastHeartbeat));
    expect(tk.status('healthy')!.health).to.deep.equal({ status: 'degraded', detail: 'EOP predictions older than 30 days' });
  });
});

describe('scheduler', () => {
  const at = (iso: string) => Date.parse(iso);
  it('evaluates cron expressions in UTC', () => {
    expect(new Date(new CronExpression('0 6 * * *').next(at('2026-03-01T05:59:59Z'))).toISOString()).to.equal('2026-03-01T06:00:00.000Z');
    expect(new Date(new CronExpression('0 6 * * *').next(at('2026-03-01T06:00:00Z'))).toISOString()).to.equal('2026-03-02T06:00:00.000Z');
    expect(new Date(new CronExpression('*/15 * * * *').next(at('2026-03-01T10:07:00Z'))).toISOString()).to.equal('2026-03-01T10:15:00.000Z');
    expect(new Date(new CronExpression('30 2 1 * *').next(at('2026-12-15T00:00:00Z'))).toISOString()).to.equal('2027-01-01T02:30:00.000Z');
    expect(new Date(new CronExpression('0 0 29 2 *').next(at('2026-03-01T00:00:00Z'))).toISOString()).to.equal('2028-02-29T00:00:00.000Z');
    expect(new Date(new CronExpression('0 12 * * MON-FRI').next(at('2026-11-28T00:00:00Z'))).toISOString()).to.equal('2026-11-30T12:00:00.000Z');
    expect(new Date(new CronExpression('*/10 * * * * *').next(at('2026-01-01T00:00:01Z'))).toISOString()).to.equal('2026-01-01T00:00:10.000Z');
    expect(() => new CronExpression('61 * * * *')).to.throw(/minute 61 outside 0-59/);
    expect(() => new CronExpression('* * *')).to.throw(/expected 5 or 6 fields/);
  });

  it('runs a missed schedule once at start when catchUp is "once"', async () => {
    const dir = tempDir();
    // The plugin ran its hourly schedule 3 hours ago, then the kernel was down.
    const state = new ScheduleState(path.join(dir, 'scheduler.json'));
    state.record('chain:hourly', Date.now() - 3 * 3600_000);
    state.record('skipper:hourly', Date.now() - 3 * 3600_000);
    let ran = 0;
    let skipped = 0;
    const chain = definePlugin({ name: 'chain', version: '1.0.0', kernel: '^1.0.0', start: (ctx) => void ctx.scheduler.cron('0 * * * *', () => void ran++, { catchUp: 'once', id: 'hourly' }) });
    const skipper = definePlugin({ name: 'skipper', version: '1.0.0', kernel: '^1.0.0', start: (ctx) => void ctx.scheduler.cron('0 * * * *', () => void skipped++, { id: 'hourly' }) });
    const tk = await createTestKernel({ plugins: [chain, skipper], config: { kernel: { dataDir: dir } } });
    await until(() => ran === 1);
    await sleep(50);
    expect(ran).to.equal(1);
    expect(skipped).to.equal(0);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'scheduler.json'), 'utf8'));
    expect(Date.now() - saved['chain:hourly']).to.be.lessThan(5000);
    await tk.stop();
  });
});
