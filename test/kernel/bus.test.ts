import { expect } from 'chai';
import { Bus } from '../../kernel/bus/bus';
import { matchesPattern } from '../../kernel/bus/pattern';
import { defineRequest, defineTopic, MessageValidationError, NoResponderError, QueueOverflowError, RemoteHandlerError, ReplyError, RequestTimeoutError, z } from '../../sdk';
import type { PluginLogger } from '../../sdk/context';
import { sleep, until } from '../helpers';

const logged: string[] = [];
const log: PluginLogger = {
  error: (m) => logged.push('error ' + m),
  warn: (m) => logged.push('warn ' + m),
  info: () => {},
  debug: () => {},
  trace: () => {},
};

const Sample = defineTopic({
  name: 'test.sample',
  version: '1.0.0',
  description: 'test payload',
  schema: z.object({ id: z.number().int(), name: z.string(), positionKm: z.array(z.number()).length(3) }).strict(),
});
const Other = defineTopic({ name: 'test.other', version: '1.0.0', description: 'other', schema: z.object({ n: z.number() }).strict() });
const Echo = defineRequest({
  name: 'test.echo',
  version: '1.0.0',
  description: 'echo',
  request: z.object({ text: z.string() }).strict(),
  response: z.object({ text: z.string(), length: z.number() }).strict(),
});

function newBus(capacity = 1000, overflow: 'drop-oldest' | 'drop-newest' | 'error' = 'drop-oldest') {
  return new Bus({ capacity, overflow, requestTimeoutMs: 500, batch: 64, log, freezePayloads: true });
}

describe('bus', () => {
  beforeEach(() => (logged.length = 0));

  it('delivers validated, frozen payloads with metadata to every subscriber', async () => {
    const bus = newBus();
    const a: unknown[] = [];
    const b: unknown[] = [];
    bus.subscribe('p1', Sample, (m, meta) => {
      a.push(m);
      expect(meta.topic).to.equal('test.sample');
      expect(meta.publisher).to.equal('pub');
    });
    bus.subscribe('p2', Sample, (m) => {
      b.push(m);
    });
    bus.publish(Sample, { id: 1, name: 'ISS', positionKm: [1, 2, 3] }, 'pub');
    await until(() => a.length === 1 && b.length === 1);
    expect(Object.isFrozen(a[0])).to.equal(true);
    expect(Object.isFrozen((a[0] as { positionKm: number[] }).positionKm)).to.equal(true);
  });

  it('rejects an invalid message at publish with the field path', () => {
    const bus = newBus();
    expect(() => bus.publish(Sample, { id: 1.5, name: 'x', positionKm: [1, 2] } as never, 'pub'))
      .to.throw(MessageValidationError)
      .with.property('message')
      .that.matches(/id: .*expected int/i)
      .and.matches(/positionKm/);
    expect(() => bus.publish(Sample, { id: 1, name: 'x', positionKm: [1, 2, 3], extra: true } as never, 'pub')).to.throw(/extra/);
    expect(bus.rejected).to.equal(2);
  });

  it('routes NATS-style wildcard patterns', async () => {
    expect(matchesPattern('test.*', 'test.sample')).to.equal(true);
    expect(matchesPattern('test.*', 'test.a.b')).to.equal(false);
    expect(matchesPattern('test.>', 'test.a.b')).to.equal(true);
    expect(matchesPattern('test.>', 'test')).to.equal(false);
    expect(matchesPattern('*.other', 'test.other')).to.equal(true);
    const bus = newBus();
    const seen: string[] = [];
    bus.subscribe('p', 'test.*', (_m, meta) => {
      seen.push(meta.topic);
    });
    bus.publish(Sample, { id: 1, name: 'a', positionKm: [0, 0, 0] }, 'pub');
    bus.publish(Other, { n: 2 }, 'pub');
    await until(() => seen.length === 2);
    expect(seen).to.deep.equal(['test.sample', 'test.other']);
    expect(() => bus.subscribe('p', 'test.>.x', () => {})).to.throw(/last token/);
  });

  it('refuses a topic re-registered with another major version', () => {
    const bus = newBus();
    bus.registerTopic(Other);
    const V2 = defineTopic({ name: 'test.other', version: '2.0.0', description: 'v2', schema: z.object({ m: z.number() }) });
    expect(() => bus.registerTopic(V2)).to.throw(/incompatible/);
  });

  it('keeps a slow subscriber from blocking the others', async () => {
    const bus = newBus();
    let fast = 0;
    let slowDone = 0;
    bus.subscribe('slow', Other, async () => {
      await sleep(200);
      slowDone++;
    });
    bus.subscribe('fast', Other, () => {
      fast++;
    });
    for (let i = 0; i < 100; i++) bus.publish(Other, { n: i }, 'pub');
    await until(() => fast === 100, 2000, 'fast subscriber');
    expect(slowDone).to.be.lessThan(2);
  });

  it('applies the overflow policy, counts drops and logs them', async () => {
    for (const policy of ['drop-oldest', 'drop-newest'] as const) {
      const bus = newBus(10, policy);
      const got: number[] = [];
      bus.subscribe('s', Other, (m) => {
        got.push(m.n);
      });
      for (let i = 0; i < 25; i++) bus.publish(Other, { n: i }, 'pub');
      await until(() => got.length === 10);
      await sleep(20);
      expect(got.length).to.equal(10);
      expect(got[0]).to.equal(policy === 'drop-oldest' ? 15 : 0);
      expect(bus.stats()[0].dropped).to.equal(15);
    }
    expect(logged.some((l) => /queue of 's' on 'test.other' is full \(10\); policy drop-oldest/.test(l))).to.equal(true);
    const strict = newBus(2, 'error');
    strict.subscribe('s', Other, () => {});
    strict.publish(Other, { n: 1 }, 'p');
    strict.publish(Other, { n: 2 }, 'p');
    expect(() => strict.publish(Other, { n: 3 }, 'p')).to.throw(QueueOverflowError);
  });

  it('isolates and reports a throwing handler', async () => {
    const bus = newBus();
    const crashes: string[] = [];
    bus.crashReporter = (owner) => crashes.push(owner);
    let ok = 0;
    bus.subscribe('bad', Other, () => {
      throw new Error('boom');
    });
    bus.subscribe('good', Other, () => {
      ok++;
    });
    bus.publish(Other, { n: 1 }, 'p');
    bus.publish(Other, { n: 2 }, 'p');
    await until(() => ok === 2);
    expect(crashes).to.deep.equal(['bad', 'bad']);
    expect(logged.some((l) => /handler of 'bad' failed on 'test.other'.*boom/.test(l))).to.equal(true);
  });

  it('answers requests, validates both ways and types its errors', async () => {
    const bus = newBus();
    await expectReject(bus.request(Echo, { text: 'a' }, 'me'), NoResponderError);
    bus.handle('srv', Echo, (q) => {
      if (q.text === 'fail') throw new ReplyError('bad-input', 'cannot echo fail');
      if (q.text === 'wrong') return { text: 1 } as never;
      if (q.text === 'slow') return sleep(1000).then(() => ({ text: q.text, length: 4 }));
      return { text: q.text, length: q.text.length };
    });
    expect(await bus.request(Echo, { text: 'hello' }, 'me')).to.deep.equal({ text: 'hello', length: 5 });
    const e1 = await expectReject(bus.request(Echo, { text: 'fail' }, 'me'), RemoteHandlerError);
    expect(e1.reason).to.equal('bad-input');
    const e2 = await expectReject(bus.request(Echo, { text: 'wrong' }, 'me'), RemoteHandlerError);
    expect(e2.reason).to.equal('invalid-reply');
    await expectReject(bus.request(Echo, { text: 'slow' }, 'me', 50), RequestTimeoutError);
    await expectReject(bus.request(Echo, { text: 3 } as never, 'me'), MessageValidationError);
  });

  it('holds messages and requests of a parked owner for its next instance', async () => {
    const bus = newBus();
    const first: number[] = [];
    const second: number[] = [];
    bus.subscribe('p', Other, (m) => {
      first.push(m.n);
    });
    bus.handle('p', Echo, (q) => ({ text: q.text, length: 1 }));
    bus.parkOwner('p');
    for (let i = 0; i < 5; i++) bus.publish(Other, { n: i }, 'x');
    const pending = bus.request(Echo, { text: 'during swap' }, 'x', 2000);
    await sleep(20);
    expect(first).to.deep.equal([]);
    bus.subscribe('p', Other, (m) => {
      second.push(m.n);
    });
    bus.handle('p', Echo, (q) => ({ text: q.text.toUpperCase(), length: 2 }));
    bus.releaseParked('p');
    bus.resumeOwner('p');
    expect(await pending).to.deep.equal({ text: 'DURING SWAP', length: 2 });
    await until(() => second.length === 5);
    expect(second).to.deep.equal([0, 1, 2, 3, 4]);
  });
});

async function expectReject<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}
