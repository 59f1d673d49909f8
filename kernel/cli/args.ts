/** Minimal argument parser: positionals, `--flag`, `--key value`, `--key=value`, repeatable keys. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[], booleanFlags: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      let value: string;
      if (eq >= 0) value = a.slice(eq + 1);
      else if (booleanFlags.includes(key)) value = 'true';
      else {
        if (i + 1 >= argv.length) throw new UsageError(`option --${key} needs a value`);
        value = argv[++i];
      }
      flags.set(key, [...(flags.get(key) ?? []), value]);
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export function only(args: ParsedArgs, allowed: string[]): void {
  for (const k of args.flags.keys()) if (!allowed.includes(k)) throw new UsageError(`unknown option --${k}`);
}
