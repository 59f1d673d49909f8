/**
 * Commands a plugin adds to the `scoop` CLI. A plugin folder may hold `cli.ts` exporting
 * `commands: PluginCommand[]`; `scoop <name> …` runs the command in-process, without a
 * kernel (the command builds what it needs from the plugin's own code). The kernel's CLI
 * knows nothing of orbits: it only finds these commands and lists them in `scoop help`.
 */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
}

export interface PluginCommand {
  /** The word after `scoop`, e.g. `propagate`. */
  name: string;
  /** One line for `scoop help`. */
  summary: string;
  /** Full usage text, printed on a usage error. */
  usage: string;
  /** Exit code: 0 ok, 1 the operation failed, 2 usage error. */
  run(args: string[], io: CommandIo): Promise<number>;
}

export function defineCommands(commands: PluginCommand[]): PluginCommand[] {
  const names = new Set<string>();
  for (const c of commands) {
    if (!/^[a-z][a-z0-9-]*$/.test(c.name)) throw new Error(`command name '${c.name}' must be lower-case letters, digits and dashes`);
    if (names.has(c.name)) throw new Error(`command '${c.name}' defined twice`);
    names.add(c.name);
  }
  return commands;
}
