import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Kernel } from '../kernel';
import { errorText } from '../bus/bus';

/**
 * Local control endpoint of a running kernel: HTTP on the loopback interface only, each
 * request authenticated by a bearer token read from a file only the operator's account
 * can read (mode 0600). The port, pid and token file are published in
 * `<dataDir>/run/control.json` for the CLI.
 *
 *   GET  /v1/status                  kernel, plugins, services, bus counters
 *   GET  /v1/plugins                 plugin list
 *   POST /v1/plugins/NAME/reload     reload code + config from disk
 *   POST /v1/plugins/NAME/enable     start (runtime; not written to the config file)
 *   POST /v1/plugins/NAME/disable    stop  (runtime; not written to the config file)
 */
export interface ControlInfo {
  pid: number;
  host: string;
  port: number;
  tokenFile: string;
  node: string;
  startedAt: string;
}

export function controlFiles(dataDir: string): { info: string; token: string } {
  const run = path.join(path.resolve(dataDir), 'run');
  return { info: path.join(run, 'control.json'), token: path.join(run, 'control.token') };
}

export class ControlServer {
  private server?: http.Server;
  private token = '';
  private files: { info: string; token: string };

  constructor(
    private readonly kernel: Kernel,
    private readonly dataDir: string,
    private readonly host: string,
    private readonly port: number,
  ) {
    this.files = controlFiles(dataDir);
  }

  async start(): Promise<ControlInfo> {
    fs.mkdirSync(path.dirname(this.files.token), { recursive: true, mode: 0o700 });
    this.token = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(this.files.token, this.token + '\n', { mode: 0o600 });
    fs.chmodSync(this.files.token, 0o600);
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, this.host, () => resolve());
    });
    const address = this.server.address() as { port: number };
    const info: ControlInfo = {
      pid: process.pid,
      host: this.host,
      port: address.port,
      tokenFile: this.files.token,
      node: this.kernel.kernelConfig.node,
      startedAt: new Date(this.kernel.startedAt).toISOString(),
    };
    fs.writeFileSync(this.files.info, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
    return info;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections?.();
    try {
      const info = JSON.parse(fs.readFileSync(this.files.info, 'utf8')) as ControlInfo;
      if (info.pid === process.pid) fs.rmSync(this.files.info, { force: true });
    } catch {
      /* already gone */
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const remote = req.socket.remoteAddress ?? '';
    if (!(remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1')) return send(403, { error: 'control requests are accepted from this host only' });
    const auth = req.headers.authorization ?? '';
    const given = Buffer.from(auth.replace(/^Bearer\s+/i, ''));
    const expected = Buffer.from(this.token);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return send(401, { error: 'missing or wrong control token' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (req.method === 'GET' && url.pathname === '/v1/status') return send(200, this.kernel.status());
      if (req.method === 'GET' && url.pathname === '/v1/plugins') return send(200, this.kernel.pluginStatus());
      const m = /^\/v1\/plugins\/([a-z][a-z0-9-]*)\/(reload|enable|disable)$/.exec(url.pathname);
      if (req.method === 'POST' && m) {
        const [, name, action] = m;
        const result =
          action === 'reload' ? await this.kernel.reload(name, 'reload requested by operator') : action === 'enable' ? await this.kernel.enable(name) : await this.kernel.disable(name);
        return send(result.ok ? 200 : 409, { plugin: name, action, ...result, status: this.kernel.pluginStatus(name)[0] });
      }
      return send(404, { error: `no such control request: ${req.method} ${url.pathname}` });
    } catch (err) {
      return send(500, { error: errorText(err) });
    }
  }
}

/** Client side, used by the CLI. */
export async function controlRequest(dataDir: string, method: 'GET' | 'POST', pathname: string, timeoutMs = 30_000): Promise<{ status: number; body: any }> {
  const files = controlFiles(dataDir);
  let info: ControlInfo;
  try {
    info = JSON.parse(fs.readFileSync(files.info, 'utf8')) as ControlInfo;
  } catch {
    throw new KernelNotRunningError(`no running kernel found (${files.info} is missing)`);
  }
  let token: string;
  try {
    token = fs.readFileSync(info.tokenFile, 'utf8').trim();
  } catch (err) {
    throw new Error(`cannot read the control token ${info.tokenFile}: ${errorText(err)}`, { cause: err });
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: info.host, port: info.port, method, path: pathname, headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) });
          } catch {
            reject(new Error(`bad control answer: ${data.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`control request timed out after ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') reject(new KernelNotRunningError(`no kernel answers on ${info.host}:${info.port} (pid ${info.pid}); stale ${files.info}?`));
      else reject(err);
    });
    req.end();
  });
}

export class KernelNotRunningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelNotRunningError';
  }
}
