import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_NAME } from '../../sdk/plugin';
import { PROJECT_ROOT } from '../../sdk/reference-data';
import { KERNEL_VERSION } from '../version';

/**
 * `scoop plugin new NAME [--dir D]`: writes a plugin folder that type-checks, passes its
 * own test and hot-loads into a running kernel watching D. Imports of the SDK are relative
 * paths computed from D to this project, so the folder works wherever it is created.
 */
export function scaffoldPlugin(name: string, parentDir: string): { dir: string; files: string[] } {
  if (!PLUGIN_NAME.test(name)) throw new Error(`plugin name '${name}' must be lower-case letters, digits and dashes, starting with a letter`);
  const dir = path.join(parentDir, name);
  if (fs.existsSync(dir)) throw new Error(`${dir} already exists`);
  const rel = (from: string, target: string) => {
    const r = path.relative(from, target).split(path.sep).join('/');
    return r.startsWith('.') ? r : './' + r;
  };
  const sdkFromPlugin = rel(dir, path.join(PROJECT_ROOT, 'sdk'));
  const sdkFromTest = rel(path.join(dir, 'test'), path.join(PROJECT_ROOT, 'sdk'));
  const camel = name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  const major = KERNEL_VERSION.split('.')[0];
  const files: Record<string, string> = {
    'config.ts': `import { z } from '${sdkFromPlugin}';

/** Configuration of the '${name}' plugin (section plugins.${name}.config of scoop.yaml). */
export const ${camel}Config = z
  .object({
    /** Text returned by the '${name}.describe' request. */
    label: z.string().default('${name}'),
  })
  .strict();
`,
    'plugin.ts': `import { defineRequest, definePlugin, z } from '${sdkFromPlugin}';
import { ${camel}Config } from './config';

/** Answers a description of this plugin; replace it with the module's own requests and topics. */
export const Describe = defineRequest({
  name: '${name}.describe',
  version: '1.0.0',
  description: 'Returns the plugin name, version, configured label and start time (UTC ISO-8601).',
  request: z.object({}).strict(),
  response: z.object({ name: z.string(), version: z.string(), label: z.string(), startedAtUtc: z.string() }).strict(),
});

export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  kernel: '^${major}.0.0',
  description: 'Scaffolded plugin ${name}.',
  config: ${camel}Config,
  publishes: [Describe],
  start(ctx) {
    const startedAtUtc = new Date().toISOString();
    ctx.bus.handle(Describe, () => ({ name: ctx.name, version: ctx.version, label: ctx.config.label, startedAtUtc }));
    ctx.log.info(\`started with label '\${ctx.config.label}'\`);
  },
});
`,
    'README.md': `# ${name}

What it does: (describe the module in one paragraph).

## Configuration (\`plugins.${name}.config\`)

| key | type | default | meaning |
|---|---|---|---|
| label | string | \`${name}\` | text returned by \`${name}.describe\` |

## Topics and services

- answers \`${name}.describe\` (request/reply)

## Test

    npx mocha ${path.relative(PROJECT_ROOT, path.join(dir, 'test', name + '.test.ts')).split(path.sep).join('/')}
`,
    [`test/${name}.test.ts`]: `import { expect } from 'chai';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '${sdkFromTest}/testing';
import { Describe } from '../plugin';

describe('${name} plugin', () => {
  let tk: TestKernel;
  afterEach(async () => tk?.stop());

  it('starts and answers ${name}.describe with its configured label', async () => {
    tk = await createTestKernel({
      plugins: [path.join(__dirname, '..')],
      config: { plugins: { '${name}': { config: { label: 'from the test' } } } },
    });
    await tk.waitForState('${name}', 'running');
    const answer = await tk.bus.request(Describe, {});
    expect(answer.name).to.equal('${name}');
    expect(answer.label).to.equal('from the test');
  });
});
`,
  };
  const written: string[] = [];
  for (const file of Object.keys(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    written.push(full);
  }
  // plugin.ts last: a kernel watching the directory sees a complete folder when it appears.
  const order = Object.keys(files).sort((a, b) => (a === 'plugin.ts' ? 1 : b === 'plugin.ts' ? -1 : 0));
  for (const file of order) fs.writeFileSync(path.join(dir, file), files[file]);
  return { dir, files: written };
}
