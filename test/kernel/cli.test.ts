import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../sdk/reference-data';
import { runScoop, SDK, startScoop, tempDir, until, writePlugin } from '../helpers';

const plugin = (name: string, version: string, extra = '') => `import { definePlugin, defineRequest, z } from '${SDK}';
export const Ask = defineRequest({ name: '${name}.ask', version: '1.0.0', description: 'version', request: z.object({}), response: z.object({ version: z.string() }) });
export default definePlugin({
  name: '${name}', version: '${version}', kernel: '^1.0.0',
  start(ctx) { ${extra} ctx.bus.handle(Ask, () => ({ version: '${version}' })); ctx.log.info('${name} ${version} up'); },
  stop(ctx) { ctx.log.info('${name} ${version} stopping'); },
});
`;

describe('scoop CLI (child processes)', function () {
  this.timeout(120_000);

  it('run, status, plugins list, plugin reload/disable/enable, live edits in the same process, graceful SIGTERM', async () => {
    const dir = tempDir();
    const plugins = path.join(dir, 'plugins');
    writePlugin(plugins, 'alpha', plugin('alpha', '1.0.0'));
    writePlugin(plugins, 'beta', plugin('beta', '1.0.0'));
    const cfg = path.join(dir, 'scoop.yaml');
    const logFile = path.join(dir, 'var', 'log', 'scoop.jsonl');
    fs.writeFileSync(cfg, `kernel:\n  dataDir: ${dir}/var\n  builtinPlugins: false\n  pluginDirs: [${plugins}]\n  hotReload: { debounceMs: 50 }\n  log: { file: { path: ${logFile} } }\n`);
    const notRunning = await runScoop(['status', '--config', cfg]);
    expect(notRunning.code).to.equal(3);
    expect(notRunning.stderr).to.match(/no running kernel/);

    const k = startScoop(['--config', cfg]);
    try {
      await until(() => fs.existsSync(path.join(dir, 'var', 'run', 'control.json')), 30_000, 'control file');
      const pid = JSON.parse(fs.readFileSync(path.join(dir, 'var', 'run', 'control.json'), 'utf8')).pid;
      expect(pid).to.equal(k.child.pid);
      expect((fs.statSync(path.join(dir, 'var', 'run', 'control.token')).mode & 0o777).toString(8)).to.equal('600');

      const status = await runScoop(['status', '--json', '--config', cfg]);
      expect(status.code, status.stderr).to.equal(0);
      const s = JSON.parse(status.stdout);
      expect(s.kernel.pid).to.equal(pid);
      expect(s.plugins.map((p: { name: string; state: string }) => `${p.name}:${p.state}`)).to.deep.equal(['alpha:running', 'beta:running']);

      const table = await runScoop(['plugins', 'list', '--config', cfg]);
      expect(table.stdout).to.match(/^PLUGIN\s+VERSION\s+STATE/m);
      expect(table.stdout).to.match(/^alpha\s+1\.0\.0\s+running/m);

      // Live code edit: the same kernel process serves the new version.
      writePlugin(plugins, 'alpha', plugin('alpha', '1.1.0'));
      await until(async () => JSON.parse((await runScoop(['plugins', 'list', '--json', '--config', cfg])).stdout)[0].version === '1.1.0', 20_000, 'alpha 1.1.0');
      // Broken edit: the old version keeps serving and the error shows in `scoop status`.
      writePlugin(plugins, 'alpha', plugin('alpha', '1.2.0').replace('ctx.bus.handle', 'ctx.bus.handle('));
      await until(async () => /reload failed: .*alpha\/plugin\.ts:\d+/.test((await runScoop(['status', '--config', cfg])).stdout), 20_000, 'reload error in status');
      const st = await runScoop(['status', '--config', cfg]);
      expect(st.stdout).to.match(/^alpha\s+1\.1\.0\s+running/m);

      const reload = await runScoop(['plugin', 'reload', 'beta', '--config', cfg]);
      expect(reload.code).to.equal(0);
      expect(reload.stdout).to.match(/reload beta: ok \(running 1\.0\.0\)/);
      const badReload = await runScoop(['plugin', 'reload', 'alpha', '--config', cfg]);
      expect(badReload.code).to.equal(1);
      expect(badReload.stderr).to.match(/reload alpha failed: .*plugin\.ts:\d+/);
      expect((await runScoop(['plugin', 'disable', 'beta', '--config', cfg])).code).to.equal(0);
      expect(JSON.parse((await runScoop(['plugins', 'list', '--json', '--config', cfg])).stdout)[1].state).to.equal('stopped');
      expect((await runScoop(['plugin', 'enable', 'beta', '--config', cfg])).code).to.equal(0);
      expect((await runScoop(['plugin', 'reload', 'nosuch', '--config', cfg])).code).to.equal(1);
      expect((await runScoop(['plugin', 'frobnicate', 'beta'])).code).to.equal(2);
      const still = JSON.parse(fs.readFileSync(path.join(dir, 'var', 'run', 'control.json'), 'utf8')).pid;
      expect(still).to.equal(pid);
    } finally {
      k.child.kill('SIGTERM');
    }
    expect(await k.exited).to.equal(0);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).to.include('SIGTERM received; stopping');
    expect(log).to.include('kernel stopped');
    expect(fs.existsSync(path.join(dir, 'var', 'run', 'control.json'))).to.equal(false);
  });

  it('rejects a control request without the token', async () => {
    const dir = tempDir();
    const cfg = path.join(dir, 'scoop.yaml');
    fs.writeFileSync(cfg, `kernel:\n  dataDir: ${dir}/var\n  builtinPlugins: false\n  log: { console: false, file: null }\n`);
    const k = startScoop(['--config', cfg]);
    try {
      await until(() => fs.existsSync(path.join(dir, 'var', 'run', 'control.json')), 30_000, 'control file');
      const info = JSON.parse(fs.readFileSync(path.join(dir, 'var', 'run', 'control.json'), 'utf8'));
      const res = await fetch(`http://127.0.0.1:${info.port}/v1/status`, { headers: { authorization: 'Bearer wrong' } });
      expect(res.status).to.equal(401);
    } finally {
      k.child.kill('SIGINT');
    }
    expect(await k.exited).to.equal(0);
  });

  it('`scoop plugin new` scaffolds a plugin whose test passes and that a running kernel hot-loads', async () => {
    const dir = tempDir();
    const plugins = path.join(dir, 'plugins');
    fs.mkdirSync(plugins);
    const made = await runScoop(['plugin', 'new', 'orbit-widget', '--dir', plugins]);
    expect(made.code, made.stderr).to.equal(0);
    for (const f of ['plugin.ts', 'config.ts', 'README.md', 'test/orbit-widget.test.ts']) expect(fs.existsSync(path.join(plugins, 'orbit-widget', f)), f).to.equal(true);
    expect(fs.readFileSync(path.join(plugins, 'orbit-widget', 'plugin.ts'), 'utf8')).to.include("version: '0.1.0'");
    // The generated test passes, run with the project's test runner.
    const mocha = await new Promise<{ code: number; out: string }>((resolve) => {
      const c = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), path.join(plugins, 'orbit-widget', 'test', 'orbit-widget.test.ts')], { cwd: PROJECT_ROOT });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (out += d));
      c.on('close', (code) => resolve({ code: code ?? -1, out }));
    });
    expect(mocha.code, mocha.out).to.equal(0);
    expect(mocha.out).to.match(/1 passing/);
    // Hot-load: a kernel watching another directory picks up a newly scaffolded plugin.
    const live = path.join(dir, 'live');
    fs.mkdirSync(live);
    const cfg = path.join(dir, 'scoop.yaml');
    fs.writeFileSync(cfg, `kernel:\n  dataDir: ${dir}/var\n  builtinPlugins: false\n  pluginDirs: [${live}]\n  hotReload: { debounceMs: 50 }\n  log: { console: false, file: null }\n`);
    const k = startScoop(['--config', cfg]);
    try {
      await until(() => fs.existsSync(path.join(dir, 'var', 'run', 'control.json')), 30_000, 'control file');
      expect((await runScoop(['plugin', 'new', 'late-arrival', '--dir', live])).code).to.equal(0);
      await until(async () => {
        const list = JSON.parse((await runScoop(['plugins', 'list', '--json', '--config', cfg])).stdout);
        return list.some((p: { name: string; state: string; version: string }) => p.name === 'late-arrival' && p.state === 'running' && p.version === '0.1.0');
      }, 20_000, 'late-arrival running');
    } finally {
      k.child.kill('SIGTERM');
    }
    expect(await k.exited).to.equal(0);
  });
});
