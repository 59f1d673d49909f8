import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export const NATS_URL = process.env.SCOOP_TEST_NATS ?? 'nats://127.0.0.1:4222';

/** True when something answers on the NATS port (the machine's server, started by .ci/run). */
export function natsReachable(url = NATS_URL): Promise<boolean> {
  const u = new URL(url.replace(/^nats:/, 'http:'));
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 4222) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** A unique subject prefix and stream per test, so tests never see each other's messages. */
export function uniqueNamespace(tag: string): { prefix: string; stream: string } {
  const id = `${tag}${process.pid}${Math.random().toString(36).slice(2, 8)}`.replace(/[^A-Za-z0-9]/g, '');
  return { prefix: `t${id}`, stream: `T${id}`.toUpperCase() };
}

export const NATS_SERVER_BIN = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((p) => fs.existsSync(p));

/**
 * A private NATS server with JetStream on a free port, for tests that stop and restart the
 * broker (the machine's shared server is never touched).
 */
export class PrivateNats {
  private child?: ChildProcess;
  readonly storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoop-nats-'));
  port = 0;

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!NATS_SERVER_BIN) throw new Error('nats-server binary not found (install the nats-server package)');
    if (!this.port) this.port = await freePort();
    this.child = spawn(NATS_SERVER_BIN, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], { stdio: 'ignore' });
    const t0 = Date.now();
    while (Date.now() - t0 < 10_000) {
      if (await natsReachable(this.url)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`private nats-server did not start on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const done = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await done;
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.storeDir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
