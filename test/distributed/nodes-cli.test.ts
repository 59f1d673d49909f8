import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect } from 'nats';
import { runScoop, SDK, startScoop, tempDir, until, writePlugin } from '../helpers';
import { NATS_URL, natsReachable, uniqueNamespace } from './nats-helpers';

/**
 * The deployment the README documents: one configuration file shared by every node, each
 * process started with `scoop run --node NAME`, each plugin pinned to nodes with
 * `plugins.<name>.nodes`. A service provided on one node is called from another, and
 * `scoop status` on any node lists the whole cluster.
 */
const provider = `import { definePlugin, defineService } from '${SDK}';
export const Echo = defineService<{ echo(s: string): Promise<{ s: string; pid: number }> }>({ name: 'test.echo', version: '1.0.0', description: 'echo' });
export default definePlugin({ name: 'worker', version: '1.0.0', kernel: '^1.0.0', provides: [Echo],
  start(ctx) { ctx.provide(Echo, { echo: async (s: string) => ({ s, pid: process.pid }) }); } });
`;
const consumer = `import { definePlugin, defineService } from '${SDK}';
const Echo = defineService<{ echo(s: string): Promise<{ s: string; pid: number }> }>({ name: 'test.echo', version: '1.0.0', description: 'echo' });
export default definePlugin({ name: 'front', version: '1.0.0', kernel: '^1.0.0', requires: [Echo],
  async start(ctx) { const r = await ctx.services.get(Echo).echo('hello'); ctx.log.info('echo answered by pid ' + r.pid); } });
`;

describe('distributed layout: scoop run --node with a shared configuration', function () {
  this.timeout(90_000);

  it('starts only the plugins pinned to each node, wires services across nodes and shows the cluster in status', async function () {
    if (!(await natsReachable())) throw new Error(`NATS is not reachable at ${NATS_URL}; start it (README "Distributed mode")`);
    const dir = tempDir();
    const plugins = path.join(dir, 'plugins');
    writePlugin(plugins, 'worker', provider);
    writePlugin(plugins, 'front', consumer);
    const ns = uniqueNamespace('n');
    const cfg = path.join(dir, 'scoop.yaml');
    fs.writeFileSync(
      cfg,
      [
        'kernel:',
        `  builtinPlugins: false`,
        `  pluginDirs: [${plugins}]`,
        '  log: { console: true, file: null }',
        '  hotReload: { enabled: false }',
        `  bus: { transport: nats, nats: { servers: [${NATS_URL}], prefix: ${ns.prefix}, stream: ${ns.stream}, discoveryMs: 5000 } }`,
        'plugins:',
        '  worker: { nodes: [compute] }',
        '  front: { nodes: [hotline] }',
        '',
      ].join('\n'),
    );
    // Each node has its own data directory (control files, scheduler state).
    const envOf = (node: string) => ({ SCOOP__KERNEL__DATADIR: path.join(dir, `var-${node}`) });
    const compute = startScoop(['--config', cfg, '--node', 'compute'], { env: envOf('compute') });
    const hotline = startScoop(['--config', cfg, '--node', 'hotline'], { env: envOf('hotline') });
    try {
      const statusOf = async (node: string) => {
        const r = await runScoop(['status', '--json', '--config', cfg], { env: envOf(node) });
        return r.code === 0 ? JSON.parse(r.stdout) : undefined;
      };
      await until(async () => (await statusOf('hotline'))?.plugins?.find((p: { name: string }) => p.name === 'front')?.state === 'running', 60_000, 'front running on hotline');
      const hot = await statusOf('hotline');
      // worker is pinned to compute: hotline does not run it.
      expect(hot.plugins.map((p: { name: string }) => p.name)).to.deep.equal(['front']);
      expect(hot.kernel.elsewhere).to.deep.equal({ worker: ['compute'] });
      await until(async () => (await statusOf('hotline'))?.cluster?.length === 2, 20_000, 'two nodes in the cluster');
      const cluster = (await statusOf('hotline')).cluster as { node: string; services: string[] }[];
      expect(cluster.map((n) => n.node).sort()).to.deep.equal(['compute', 'hotline']);
      expect(cluster.find((n) => n.node === 'compute')!.services).to.include('test.echo');
      const comp = await statusOf('compute');
      expect(comp.plugins.map((p: { name: string; state: string }) => `${p.name}:${p.state}`)).to.deep.equal(['worker:running']);
      // The call from hotline's front was answered by the compute process.
      expect(hotline.log()).to.include(`echo answered by pid ${compute.child.pid}`);
      const text = await runScoop(['status', '--config', cfg], { env: envOf('compute') });
      expect(text.stdout).to.match(/hotline\s+\S+:\d+\s+1\/1 plugins running/);
      expect(text.stdout).to.include('not run on this node: front (nodes: hotline)');
    } finally {
      compute.child.kill('SIGTERM');
      hotline.child.kill('SIGTERM');
      await Promise.all([compute.exited, hotline.exited]);
      const nc = await connect({ servers: NATS_URL });
      await (await nc.jetstreamManager()).streams.delete(ns.stream).catch(() => undefined);
      await nc.close();
    }
  });
});
