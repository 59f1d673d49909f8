import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { PROJECT_ROOT } from '../../sdk/reference-data';
import { ConfigError, configJsonSchema, formatProblem, maskedConfig } from '../config/loader';
import { KernelConfigSchema } from '../config/schema';
import { readConfig, isRecord } from '../config/loader';
import { ControlServer, controlRequest, KernelNotRunningError } from '../control/server';
import { Kernel, type PluginStatus } from '../kernel';
import { KERNEL_VERSION } from '../version';
import { only, parseArgs, UsageError, type ParsedArgs } from './args';
import { scaffoldPlugin } from './scaffold';
import type { PluginCommand } from '../../sdk/cli';

/**
 * The `scoop` command. Exit codes: 0 success; 1 the operation failed (invalid
 * configuration, a plugin that did not reload, an invalid file); 2 usage error;
 * 3 no running kernel to talk to.
 */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, NOT_RUNNING: 3 } as const;

const HELP = `scoop — SCOOP-TS orbitography suite (kernel ${KERNEL_VERSION})

Usage:
  scoop run [--config F]... [--node NAME]     run the kernel (Ctrl-C stops it gracefully)
  scoop status [--json] [--config F]          state of the running kernel and its plugins
  scoop plugins list [--json] [--config F]    plugins of the running kernel
  scoop plugin reload|enable|disable NAME     act on a plugin of the running kernel
  scoop plugin new NAME [--dir D]             scaffold a plugin folder (default dir: plugins/)
  scoop config check [--config F]...          validate configuration and plugins; exit 1 if invalid
  scoop config schema                         JSON Schema of the whole configuration
  scoop config show [--json] [--config F]...  effective configuration, secrets masked
  scoop ccsds validate FILE... | convert FILE --to kvn|xml|json [--out F]
  scoop version

Configuration files: --config may be repeated (merged in order); default config/scoop.yaml.
Environment overrides: SCOOP__KERNEL__LOG__LEVEL=debug sets kernel.log.level.
Exit codes: 0 ok, 1 failed, 2 usage error, 3 no running kernel.`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'status':
        return await statusCommand(rest, io);
      case 'plugins':
        if (rest[0] !== 'list') throw new UsageError('usage: scoop plugins list [--json]');
        return await pluginsList(rest.slice(1), io);
      case 'plugin':
        return await pluginCommand(rest, io);
      case 'config':
        return await configCommand(rest, io);
      case 'ccsds':
        return await ccsdsCommand(rest, io);
      case 'version':
      case '--version':
        io.out(`scoop ${KERNEL_VERSION} (node ${process.version})`);
        return EXIT.OK;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(helpText());
        return command === undefined ? EXIT.USAGE : EXIT.OK;
      default: {
        const contributed = pluginCommands().find((c) => c.command.name === command);
        if (!contributed) throw new UsageError(`unknown command '${command}'`);
        return await contributed.command.run(rest, {
          out: io.out,
          err: io.err,
          readFile: (p: string) => fs.promises.readFile(p, 'utf8'),
          writeFile: (p: string, t: string) => fs.promises.writeFile(p, t),
        });
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scoop: ${err.message}\n\n${helpText()}`);
      return EXIT.USAGE;
    }
    if (err instanceof KernelNotRunningError) {
      io.err(`scoop: ${err.message}`);
      return EXIT.NOT_RUNNING;
    }
    if (err instanceof ConfigError) {
      io.err(`Configuration invalid (${err.problems.length} problem(s)):\n${err.problems.map(formatProblem).join('\n')}`);
      return EXIT.FAILED;
    }
    throw err;
  }
}

/**
 * Commands contributed by plugins: `cli.ts` in a built-in plugin folder exporting
 * `commands` (sdk/cli.ts). Loaded on demand; a folder whose cli.ts fails to load is named
 * on stderr and skipped, so one broken plugin never takes the CLI down.
 */
function pluginCommands(): { plugin: string; command: PluginCommand }[] {
  const dir = path.join(PROJECT_ROOT, 'plugins');
  const out: { plugin: string; command: PluginCommand }[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const plugin of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, plugin, 'cli.ts');
    if (!fs.existsSync(file)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(file) as { commands?: PluginCommand[] };
      for (const command of mod.commands ?? []) out.push({ plugin, command });
    } catch (err) {
      process.stderr.write(`scoop: commands of plugin '${plugin}' not available (${file}: ${(err as Error).message})\n`);
    }
  }
  return out;
}

function helpText(): string {
  const extra = pluginCommands();
  if (!extra.length) return HELP;
  const lines = extra.map(({ plugin, command }) => `  scoop ${command.name.padEnd(38)} ${command.summary} [${plugin}]`);
  return HELP.replace('\n\nConfiguration files:', `\n\nModule commands (run in-process, no kernel needed):\n${lines.join('\n')}\n\nConfiguration files:`);
}

export function configFilesOf(args: ParsedArgs): string[] {
  const given = args.flags.get('config');
  if (given?.length) return given.map((f) => path.resolve(f));
  const env = process.env.SCOOP_CONFIG;
  if (env) return env.split(path.delimiter).filter(Boolean).map((f) => path.resolve(f));
  const local = path.resolve('config', 'scoop.yaml');
  return [fs.existsSync(local) ? local : path.join(PROJECT_ROOT, 'config', 'scoop.yaml')];
}

/** The data directory named by the configuration (where the control files are). */
function dataDirOf(args: ParsedArgs): string {
  const raw = readConfig(configFilesOf(args));
  const kernel = KernelConfigSchema.safeParse(isRecord(raw.value.kernel) ? raw.value.kernel : {});
  return path.resolve(kernel.success ? kernel.data.dataDir : 'var');
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, []);
  only(args, ['config', 'node']);
  const node = args.flags.get('node')?.[0];
  const kernel = new Kernel({ configFiles: configFilesOf(args), config: node ? { kernel: { node } } : undefined });
  await kernel.start();
  const k = kernel.kernelConfig;
  let control: ControlServer | undefined;
  if (k.control.enabled) {
    control = new ControlServer(kernel, k.dataDir, k.control.host, k.control.port);
    const info = await control.start();
    kernel.log.info(`control endpoint on ${info.host}:${info.port} (token in ${info.tokenFile})`);
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      kernel.log.info(`${signal} received; stopping`);
      void (async () => {
        await control?.stop();
        await kernel.stop();
        resolve(EXIT.OK);
      })();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.on('unhandledRejection', (reason) => kernel.log.error(`unhandled rejection (kernel keeps serving): ${String((reason as Error)?.stack ?? reason)}`));
    process.on('uncaughtException', (err) => kernel.log.error(`uncaught exception (kernel keeps serving): ${err.stack ?? err}`));
    void io;
  });
}

async function statusCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['json']);
  only(args, ['json', 'config']);
  const { body } = await controlRequest(dataDirOf(args), 'GET', '/v1/status');
  if (args.flags.has('json')) {
    io.out(JSON.stringify(body, null, 2));
    return EXIT.OK;
  }
  const k = body.kernel;
  io.out(`kernel ${k.name} node ${k.node} v${k.version} pid ${k.pid} up ${k.uptimeS}s heap ${k.heapUsedMB} MB transport ${k.transport}`);
  io.out(pluginTable(body.plugins));
  const elsewhere = Object.entries((k.elsewhere ?? {}) as Record<string, string[]>);
  if (elsewhere.length) io.out(`not run on this node: ${elsewhere.map(([name, nodes]) => `${name} (nodes: ${nodes.join(', ')})`).join('; ')}`);
  const cluster = (body.cluster ?? []) as { node: string; host: string; pid: number; instance: string; plugins: { state: string }[]; services: string[] }[];
  if (cluster.length > 1) {
    io.out('\nCLUSTER');
    for (const n of cluster) {
      const running = n.plugins.filter((p) => p.state === 'running').length;
      io.out(`  ${n.node.padEnd(12)} ${`${n.host}:${n.pid}`.padEnd(24)} ${running}/${n.plugins.length} plugins running${n.instance === 'self' ? '  (this kernel)' : ''}  services: ${n.services.join(', ') || '-'}`);
    }
  }
  return EXIT.OK;
}

function pluginTable(plugins: PluginStatus[]): string {
  const rows = plugins.map((p) => [
    p.name,
    p.version ?? '-',
    p.state,
    String(p.restarts),
    p.lastHeartbeat ? p.lastHeartbeat.slice(11, 19) : '-',
    [p.reason, p.reloadError ? `reload failed: ${p.reloadError.message}` : p.lastError ? `last error: ${p.lastError.message}` : undefined].filter(Boolean).join('; ') || '',
  ]);
  const head = ['PLUGIN', 'VERSION', 'STATE', 'RESTARTS', 'HEARTBEAT', 'DETAIL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 5 ? r[i].length : 0))));
  const line = (r: string[]) => r.map((c, i) => (i < 5 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

async function pluginsList(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['json']);
  only(args, ['json', 'config']);
  const { body } = await controlRequest(dataDirOf(args), 'GET', '/v1/plugins');
  io.out(args.flags.has('json') ? JSON.stringify(body, null, 2) : pluginTable(body));
  return EXIT.OK;
}

async function pluginCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['json']);
  const [action, name] = args.positionals;
  if (action === 'new') {
    only(args, ['dir']);
    if (!name) throw new UsageError('usage: scoop plugin new NAME [--dir D]');
    const dir = path.resolve(args.flags.get('dir')?.[0] ?? path.join(PROJECT_ROOT, 'plugins'));
    const created = scaffoldPlugin(name, dir);
    io.out(`created plugin '${name}' in ${created.dir}:\n${created.files.map((f) => '  ' + path.relative(process.cwd(), f)).join('\n')}`);
    return EXIT.OK;
  }
  if (!['reload', 'enable', 'disable'].includes(action ?? '') || !name) throw new UsageError('usage: scoop plugin reload|enable|disable NAME');
  only(args, ['json', 'config']);
  const { status, body } = await controlRequest(dataDirOf(args), 'POST', `/v1/plugins/${encodeURIComponent(name)}/${action}`);
  if (args.flags.has('json')) io.out(JSON.stringify(body, null, 2));
  else if (status === 200) io.out(`${action} ${name}: ok (${body.status?.state ?? 'unknown'}${body.status?.version ? ' ' + body.status.version : ''})`);
  else io.err(`${action} ${name} failed: ${body.error}`);
  return status === 200 ? EXIT.OK : EXIT.FAILED;
}

async function configCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['json']);
  only(args, ['json', 'config']);
  const sub = args.positionals[0];
  const kernel = new Kernel({ configFiles: configFilesOf(args) });
  if (sub === 'check') {
    const { loadErrors } = await kernel.check();
    for (const [name, err] of loadErrors) io.err(`warning: plugin '${name}' cannot be loaded: ${err}`);
    io.out('Configuration OK');
    return EXIT.OK;
  }
  if (sub === 'schema') {
    let defs;
    try {
      defs = (await kernel.check()).definitions;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      defs = await kernel.discoverDefinitions();
    }
    io.out(JSON.stringify(configJsonSchema(defs), null, 2));
    return EXIT.OK;
  }
  if (sub === 'show') {
    const { config, definitions } = await kernel.check();
    const masked = maskedConfig(config, definitions);
    io.out(args.flags.has('json') ? JSON.stringify(masked, null, 2) : toYaml(masked));
    return EXIT.OK;
  }
  throw new UsageError('usage: scoop config check|schema|show [--config F]');
}

async function ccsdsCommand(argv: string[], io: CliIo): Promise<number> {
  let mod: { ccsdsCli?: (args: string[], io: unknown) => Promise<number> };
  try {
    // Loaded on demand: the codecs are only needed by this command.
    const codecs = '../../sdk/ccsds/cli';
    mod = (await import(codecs)) as typeof mod;
  } catch {
    io.err('scoop: the CCSDS tools are not part of this build');
    return EXIT.FAILED;
  }
  return mod.ccsdsCli!(argv, {
    readFile: (p: string) => fs.promises.readFile(p, 'utf8'),
    writeFile: (p: string, s: string) => fs.promises.writeFile(p, s),
    stdout: (s: string) => io.out(s),
    stderr: (s: string) => io.err(s),
  });
}
