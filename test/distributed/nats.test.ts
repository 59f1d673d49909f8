import { expect } from 'chai';
import { connect, JSONCodec } from 'nats';
import { createTestKernel, type TestKernel } from '../../sdk/testing';
import { defineRequest, defineService, defineTopic, definePlugin, NoResponderError, RemoteHandlerError, ReplyError, z, type PluginDefinition } from '../../sdk';
import { sleep, until } from '../helpers';
import { NATS_URL, natsReachable, PrivateNats, uniqueNamespace } from './nats-helpers';

const Position = defineTopic({ name: 'dist.position', version: '1.0.0', description: 'test position', schema: z.object({ norad: z.number().int(), rKm: z.array(z.number()).length(3) }) });
const Alert = defineTopic({ name: 'dist.alert', version: '1.0.0', durable: true, description: 'test durable alert', schema: z.object({ id: z.number().int(), severity: z.enum(['green', 'yellow', 'red']) }) });
const Square = defineRequest({ name: 'dist.square', version: '1.0.0', description: 'x²', request: z.object({ x: z.number() }), response: z.object({ y: z.number(), by: z.string() }) });
interface Adder {
  add(a: number, b: number): Promise<{ sum: number; node: string }>;
}
const AdderToken = defineService<Adder>({ name: 'dist.adder', version: '1.0.0', description: 'adds' });

async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

function natsConfig(node: string, ns: { prefix: string; stream: string }, url = NATS_URL) {
  return { kernel: { node, bus: { transport: 'nats', nats: { servers: [url], prefix: ns.prefix, stream: ns.stream, discoveryMs: 300 } } } };
}

describe('distributed bus over NATS', function () {
  this.timeout(60_000);
  const kernels: TestKernel[] = [];
  let ns: { prefix: string; stream: string };

  before(async function () {
    if (!(await natsReachable())) {
      // Stated plainly: these tests need the machine's NATS server (.ci/run starts it).
      throw new Error(`NATS is not reachable at ${NATS_URL}; start it (see README "Distributed mode") or set SCOOP_TEST_NATS`);
    }
  });
  beforeEach(() => (ns = uniqueNamespace('d')));
  afterEach(async () => {
    for (const k of kernels.splice(0)) await k.stop().catch(() => undefined);
    await deleteStream(NATS_URL, ns.stream);
  });

  const boot = async (node: string, plugins: PluginDefinition[] = [], url = NATS_URL) => {
    const k = await createTestKernel({ plugins, config: natsConfig(node, ns, url) });
    kernels.push(k);
    return k;
  };

  it('carries topics between kernels, validated on arrival, without echo to the publisher', async () => {
    const a = await boot('a');
    const b = await boot('b');
    const atA: number[] = [];
    const atB: number[] = [];
    a.bus.subscribe(Position, (m: { norad: number }) => void atA.push(m.norad));
    b.bus.subscribe(Position, (m: { norad: number }) => void atB.push(m.norad));
    const wildB: string[] = [];
    b.bus.subscribe('dist.*', (_m, meta) => void wildB.push(meta.topic));
    await sleep(100);
    for (let i = 0; i < 50; i++) a.bus.publish(Position, { norad: 25544 + i, rKm: [6778, 0, 0] });
    await until(() => atB.length === 50 && atA.length === 50 && wildB.length === 50, 10_000, "50 deliveries each").catch((e) => { throw new Error(`${e.message}: got ${atA.length} ${atB.length} ${wildB.length}`); });
    await sleep(100);
    expect(atA.length).to.equal(50);
    expect(atB).to.deep.equal(Array.from({ length: 50 }, (_, i) => 25544 + i));
    // A message that fails the schema on arrival is refused and logged, never passed on.
    const nc = await connect({ servers: NATS_URL });
    nc.publish(`${ns.prefix}.t.dist.position`, JSONCodec().encode({ data: { norad: 'ISS', rKm: [1] }, meta: { topic: 'dist.position', publisher: 'rogue', version: '1.0.0', publishedAtMs: 0, seq: 1 } }));
    await nc.flush();
    await nc.close();
    // Kernel b holds two wire subscriptions matching the subject (dist.position, dist.*): the
    // rogue copy arriving on each is refused on its own.
    await until(() => b.kernel.bus.rejected === 2, 5000, 'rejection');
    await sleep(100);
    expect(atB.length).to.equal(50);
    expect(wildB.length).to.equal(50);
  });

  it('answers requests and service calls across kernels, with typed errors and queue groups', async () => {
    const worker = (name: string): PluginDefinition =>
      definePlugin({
        name: 'adder',
        version: '1.0.0',
        kernel: '^1.0.0',
        provides: [AdderToken],
        start(ctx) {
          ctx.provide(AdderToken, { add: async (x: number, y: number) => ({ sum: x + y, node: name }) });
          ctx.bus.handle(Square, (q) => {
            if (q.x < 0) throw new ReplyError('negative', 'x must be positive');
            return { y: q.x * q.x, by: name };
          });
        },
      });
    const client = definePlugin({
      name: 'client',
      version: '1.0.0',
      kernel: '^1.0.0',
      requires: [AdderToken],
      start() {},
    });
    await boot('w1', [worker('w1')]);
    await boot('w2', [worker('w2')]);
    const c = await boot('c', [client]);
    expect(c.status('client')!.state, c.status('client')!.reason).to.equal('running');
    const by = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await c.bus.request(Square, { x: i });
      expect(r.y).to.equal(i * i);
      by.add(r.by);
      const s = await c.service(AdderToken).add(i, 1);
      expect(s.sum).to.equal(i + 1);
      by.add(s.node);
    }
    expect([...by].sort()).to.deep.equal(['w1', 'w2']);
    try {
      await c.bus.request(Square, { x: -1 });
      expect.fail('should reject');
    } catch (err) {
      expect(err).to.be.instanceOf(RemoteHandlerError);
      expect((err as RemoteHandlerError).reason).to.equal('negative');
      expect((err as Error).message).to.include('x must be positive');
    }
    const Nobody = defineRequest({ name: 'dist.nobody', version: '1.0.0', description: 'unanswered', request: z.object({}), response: z.object({}) });
    try {
      await c.bus.request(Nobody, {}, { timeoutMs: 1000 });
      expect.fail('should reject');
    } catch (err) {
      expect(err).to.be.instanceOf(NoResponderError);
    }
    const status = c.kernel.status();
    expect(status.cluster.map((n) => n.node).sort()).to.deep.equal(['c', 'w1', 'w2']);
  });

  it('delivers durable topics to a consumer that was down, once each', async () => {
    const received: number[] = [];
    const notifier = definePlugin({
      name: 'notifier',
      version: '1.0.0',
      kernel: '^1.0.0',
      start(ctx) {
        ctx.subscribe(Alert, (m) => void received.push(m.id));
      },
    });
    // First run creates the durable consumer, then the consumer's kernel goes down.
    const consumer = await boot('hotline', [notifier]);
    const producer = await boot('screening');
    producer.bus.publish(Alert, { id: 0, severity: 'red' });
    await until(() => received.length === 1, 10_000, 'first alert');
    await consumer.stop();
    kernels.splice(kernels.indexOf(consumer), 1);
    for (let i = 1; i <= 20; i++) producer.bus.publish(Alert, { id: i, severity: 'yellow' });
    await sleep(300);
    await boot('hotline', [notifier]);
    await until(() => received.length === 21, 15_000, `missed alerts (have ${received.length})`);
    await sleep(500);
    expect(received).to.deep.equal(Array.from({ length: 21 }, (_, i) => i));
  });

  it('survives a broker restart during a burst of durable alerts: every alert delivered exactly once', async function () {
    const broker = new PrivateNats();
    await broker.start();
    try {
      const received: number[] = [];
      const notifier = definePlugin({
        name: 'notifier',
        version: '1.0.0',
        kernel: '^1.0.0',
        start(ctx) {
          ctx.subscribe(Alert, async (m) => {
            received.push(m.id);
          });
        },
      });
      await boot('hotline', [notifier], broker.url);
      const producer = await boot('screening', [], broker.url);
      const total = 300;
      for (let i = 0; i < total; i++) {
        producer.bus.publish(Alert, { id: i, severity: 'red' });
        if (i === 100) {
          await broker.stop();
          await sleep(300);
          await broker.start();
        }
        if (i % 20 === 0) await sleep(5);
      }
      await until(() => new Set(received).size === total, 30_000, `all alerts (have ${new Set(received).size})`);
      await sleep(1000);
      const dup = received.filter((v, i) => received.indexOf(v) !== i);
      expect(dup, 'duplicates').to.deep.equal([]);
      expect(received.length).to.equal(total);
    } finally {
      for (const k of kernels.splice(0)) await k.stop().catch(() => undefined);
      await broker.destroy();
    }
  });
});
