import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kernel } from '../../kernel/kernel';
import { ConfigError } from '../../kernel/config/loader';
import { runScoop, SDK, tempDir, writePlugin } from '../helpers';

const NOTIFIER = `import { definePlugin, secret, z } from '${SDK}';
export default definePlugin({
  name: 'notifier-x',
  version: '1.2.0',
  kernel: '^1.0.0',
  config: z.object({
    url: z.string().url(),
    retries: z.number().int().min(0).default(3),
    smtp: z.object({ user: z.string(), password: secret(z.string()) }).strict().optional(),
    apiToken: secret(z.string()).optional(),
  }).strict(),
  start(ctx) { ctx.log.info('configured with ' + JSON.stringify(ctx.config)); },
});
`;

function setup() {
  const dir = tempDir();
  const plugins = path.join(dir, 'plugins');
  writePlugin(plugins, 'notifier-x', NOTIFIER);
  const base = path.join(dir, 'scoop.yaml');
  return { dir, plugins, base };
}

describe('configuration', () => {
  it('reports every problem at once with its YAML path and file:line', async () => {
    const { dir, plugins, base } = setup();
    fs.writeFileSync(
      base,
      [
        'kernel:',
        `  dataDir: ${dir}/var`,
        `  pluginDirs: [${plugins}]`,
        '  bus:',
        '    queue:',
        '      capacity: lots',
        '  colour: blue',
        'plugins:',
        '  notifier-x:',
        '    config:',
        '      url: not a url',
        '      retries: -1',
        '  ghost:',
        '    enabled: true',
        '',
      ].join('\n'),
    );
    let error: ConfigError | undefined;
    try {
      await new Kernel({ configFiles: [base], env: {} }).check();
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const byPath = new Map(error!.problems.map((p) => [p.path, p]));
    expect(byPath.get('kernel.bus.queue.capacity')!.location).to.equal(`${base}:6`);
    expect(byPath.get('kernel.colour')!.message).to.equal("unknown key 'colour'");
    expect(byPath.get('kernel.colour')!.location).to.equal(`${base}:7`);
    expect(byPath.get('plugins.notifier-x.config.url')!.location).to.equal(`${base}:11`);
    expect(byPath.get('plugins.notifier-x.config.retries')!.location).to.equal(`${base}:12`);
    expect(byPath.get('plugins.ghost')!.message).to.match(/no plugin named 'ghost'/);
    expect(error!.problems.length).to.equal(5);
  });

  it('merges several files in order and lets environment variables override single keys', async () => {
    const { dir, plugins, base } = setup();
    fs.writeFileSync(base, `kernel:\n  dataDir: ${dir}/var\n  pluginDirs: [${plugins}]\n  log: { level: info }\nplugins:\n  notifier-x:\n    config: { url: 'https://a.example/hook', retries: 1 }\n`);
    const site = path.join(dir, 'site.yaml');
    fs.writeFileSync(site, `plugins:\n  notifier-x:\n    config:\n      retries: 7\n      smtp: { user: ops, password: 'p4ssw0rd!' }\n`);
    const { config } = await new Kernel({ configFiles: [base, site], env: { SCOOP__KERNEL__LOG__LEVEL: 'debug', SCOOP__PLUGINS__NOTIFIER_X__CONFIG__APITOKEN: 'tok-123456' } }).check();
    expect(config.kernel.log.level).to.equal('debug');
    expect(config.plugins['notifier-x'].config).to.deep.include({ url: 'https://a.example/hook', retries: 7, apiToken: 'tok-123456' });
    // A bad environment value is located at the variable, not in a file.
    let error: ConfigError | undefined;
    try {
      await new Kernel({ configFiles: [base, site], env: { SCOOP__PLUGINS__NOTIFIER_X__CONFIG__RETRIES: 'many' } }).check();
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error!.problems[0]).to.deep.include({ path: 'plugins.notifier-x.config.retries', location: 'env SCOOP__PLUGINS__NOTIFIER_X__CONFIG__RETRIES' });
  });

  it('`scoop config check|show|schema`: exit codes, masked secrets, JSON Schema', async function () {
    this.timeout(60_000);
    const { dir, plugins, base } = setup();
    fs.writeFileSync(
      base,
      `kernel:\n  dataDir: ${dir}/var\n  pluginDirs: [${plugins}]\nplugins:\n  notifier-x:\n    config:\n      url: https://hooks.example/x\n      smtp: { user: ops, password: 'hunter2-secret' }\n      apiToken: tok-abcdef\n`,
    );
    const ok = await runScoop(['config', 'check', '--config', base]);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout.trim()).to.equal('Configuration OK');
    const show = await runScoop(['config', 'show', '--json', '--config', base]);
    expect(show.code).to.equal(0);
    expect(show.stdout).not.to.include('hunter2-secret');
    expect(show.stdout).not.to.include('tok-abcdef');
    const shown = JSON.parse(show.stdout);
    expect(shown.plugins['notifier-x'].config.smtp).to.deep.equal({ user: 'ops', password: '********' });
    expect(shown.plugins['notifier-x'].config.apiToken).to.equal('********');
    const schema = await runScoop(['config', 'schema', '--config', base]);
    const js = JSON.parse(schema.stdout);
    const px = js.properties.plugins.properties['notifier-x'].properties.config;
    expect(px.properties.apiToken.secret).to.equal(true);
    expect(js.properties.kernel.properties.bus.properties.queue.properties.capacity.default).to.equal(100000);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, `kernel:\n  dataDir: ${dir}/var\n  pluginDirs: [${plugins}]\nplugins:\n  notifier-x:\n    config: { url: 3, apiToken: tok-abcdef, smtp: { user: 1, password: 'hunter2-secret' } }\n`);
    const ko = await runScoop(['config', 'check', '--config', bad]);
    expect(ko.code).to.equal(1);
    expect(ko.stderr).to.include(`${bad}:6: plugins.notifier-x.config.url`);
    expect(ko.stderr).to.include('plugins.notifier-x.config.smtp.user');
    expect(ko.stderr + ko.stdout).not.to.include('hunter2-secret');
    const yamlError = path.join(dir, 'broken.yaml');
    fs.writeFileSync(yamlError, 'kernel:\n  dataDir: [unclosed\n');
    const ky = await runScoop(['config', 'check', '--config', yamlError]);
    expect(ky.code).to.equal(1);
    expect(ky.stderr).to.match(new RegExp(`${yamlError}:\\d+`));
  });

  it('keeps secrets out of the logs', async () => {
    const { dir, plugins, base } = setup();
    const logFile = path.join(dir, 'scoop.jsonl');
    fs.writeFileSync(base, `kernel:\n  dataDir: ${dir}/var\n  pluginDirs: [${plugins}]\n  hotReload: { enabled: false }\n  log: { console: false, file: { path: ${logFile} }, level: warn, plugins: { notifier-x: info } }\nplugins:\n  notifier-x:\n    config: { url: 'https://h.example/x', apiToken: tok-very-secret }\n`);
    const k = new Kernel({ configFiles: [base], env: {}, builtinPluginDirs: [] });
    await k.start();
    await k.stop();
    const text = fs.readFileSync(logFile, 'utf8');
    // The plugin logged its whole config: the line is there, the secret is not.
    const line = text.split('\n').find((l) => l.includes('configured with'))!;
    expect(JSON.parse(line)).to.include({ plugin: 'notifier-x', version: '1.2.0', level: 'info' });
    expect(line).to.include('\\"apiToken\\":\\"********\\"');
    expect(text).not.to.include('tok-very-secret');
    // Per-plugin level: the kernel logs at warn (its info lines are absent), the plugin at info.
    expect(text).not.to.include('kernel ready');
  });
});
