import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../sdk/reference-data';

/** Absolute import path of the SDK, for plugin files written into temporary folders. */
export const SDK = path.join(PROJECT_ROOT, 'sdk');

export function tempDir(prefix = 'scoop-t-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a plugin folder `<root>/<name>/plugin.ts` with the given source. */
export function writePlugin(root: string, name: string, source: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'plugin.ts');
  // Write then rename: a watcher never sees a half-written file.
  const tmp = path.join(dir, '.plugin.ts.tmp');
  fs.writeFileSync(tmp, source);
  fs.renameSync(tmp, file);
  return dir;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await cond()) return;
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const SCOOP_BIN = path.join(PROJECT_ROOT, 'bin', 'scoop.js');

/** Runs `scoop ARGS` to completion in a child process. */
export function runScoop(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCOOP_BIN, ...args], { cwd: opts.cwd ?? PROJECT_ROOT, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`scoop ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Starts `scoop run` in the background; output is accumulated in `log()`. */
export function startScoop(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; log(): string; exited: Promise<number> } {
  const child = spawn(process.execPath, [SCOOP_BIN, 'run', ...args], { cwd: opts.cwd ?? PROJECT_ROOT, env: { ...process.env, ...opts.env } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { child, log: () => out, exited };
}
