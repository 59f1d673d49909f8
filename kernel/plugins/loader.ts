import * as path from 'node:path';
import Module from 'node:module';
import * as esbuild from 'esbuild';
import { isPluginDefinition, type PluginDefinition } from '../../sdk/plugin';

/**
 * Loads one version of a plugin's code.
 *
 * The plugin's own files (everything under its folder) are bundled by esbuild into one
 * CommonJS module, compiled into a fresh `Module` object that is never put in Node's
 * require cache. Imports that leave the folder (sdk/, interfaces/, npm packages) stay
 * ordinary `require`s, so they are shared by every plugin and every version: a topic or
 * a zod schema from interfaces/ is the same object everywhere.
 *
 * Why this isolation: reloading a plugin must really release the old code. Deleting
 * require-cache entries leaks (parents keep `children` references); a module object we
 * never registered is garbage once the plugin's subscriptions, timers and services are
 * released — which the kernel does through the plugin context. Compilation is atomic: a
 * syntax error anywhere in the plugin fails the load (with file:line) before the running
 * version is touched. The heap bound is checked by a test that reloads 200 times.
 */
export class PluginLoadError extends Error {
  constructor(
    readonly entry: string,
    message: string,
  ) {
    super(message);
    this.name = 'PluginLoadError';
  }
}

export interface LoadedCode {
  definition: PluginDefinition;
  /** Files the bundle was made of (the ones whose edits trigger a reload). */
  files: string[];
  bytes: number;
}

export async function loadPluginCode(entry: string): Promise<LoadedCode> {
  const dir = path.dirname(entry);
  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[]; metafile: esbuild.Metafile };
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: dir,
      tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
      plugins: [keepOutsideImportsExternal(dir)],
    });
  } catch (err) {
    const failure = err as esbuild.BuildFailure;
    const first = failure.errors?.[0];
    if (first) {
      const loc = first.location ? `${path.resolve(dir, first.location.file)}:${first.location.line}:${first.location.column + 1}: ` : '';
      throw new PluginLoadError(entry, `${loc}${first.text}`);
    }
    throw new PluginLoadError(entry, `cannot compile ${entry}: ${(err as Error).message}`);
  }
  const code = result.outputFiles[0].text;
  const m = new Module(entry);
  m.filename = entry;
  m.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dir);
  try {
    (m as unknown as { _compile(code: string, file: string): void })._compile(code, entry);
  } catch (err) {
    throw new PluginLoadError(entry, `${entry}: evaluating the plugin module threw: ${(err as Error).stack ?? err}`);
  }
  const exported = (m.exports as { default?: unknown; plugin?: unknown }).default ?? (m.exports as { plugin?: unknown }).plugin;
  if (!isPluginDefinition(exported)) {
    throw new PluginLoadError(entry, `${entry}: the default export is not a plugin (use \`export default definePlugin({...})\`)`);
  }
  const files = Object.keys(result.metafile.inputs).map((f) => path.resolve(dir, f));
  return { definition: exported, files, bytes: code.length };
}

function keepOutsideImportsExternal(pluginDir: string): esbuild.Plugin {
  return {
    name: 'scoop-externals',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('.') && !path.isAbsolute(args.path)) return { path: args.path, external: true };
        const abs = path.resolve(args.resolveDir, args.path);
        if (abs === pluginDir || abs.startsWith(pluginDir + path.sep)) return undefined;
        return { path: abs, external: true };
      });
    },
  };
}
