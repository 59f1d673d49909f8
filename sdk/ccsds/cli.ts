import { parseCelestrakOmm } from './celestrak';
import { CcsdsParseError, formatProblem, parseNdm, writeNdm, type ParseMode, type Syntax } from './index';

/**
 * `scoop ccsds validate FILE... [--lenient]` and
 * `scoop ccsds convert FILE --to kvn|xml|json [--out F] [--lenient]`.
 * Uses only the I/O it is given (the kernel CLI passes file and console access).
 * Exit codes: 0 ok, 1 a file invalid / operation failed, 2 usage error.
 */
export interface CcsdsCliIo {
  readFile(p: string): Promise<string>;
  writeFile(p: string, s: string): Promise<void>;
  stdout(s: string): void;
  stderr(s: string): void;
}

const USAGE = 'usage: scoop ccsds validate FILE... [--lenient] | scoop ccsds convert FILE --to kvn|xml|json [--out F] [--lenient]';

export async function ccsdsCli(args: string[], io: CcsdsCliIo): Promise<number> {
  const [cmd, ...rest] = args;
  const mode: ParseMode = rest.includes('--lenient') ? 'lenient' : 'strict';
  const positional: string[] = [];
  let to: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--lenient') continue;
    if (a === '--to' || a === '--out') {
      const v = rest[++i];
      if (v === undefined) return usage(io, `${a} needs a value`);
      if (a === '--to') to = v;
      else out = v;
    } else if (a.startsWith('--')) return usage(io, `unknown option ${a}`);
    else positional.push(a);
  }
  if (cmd === 'validate') {
    if (positional.length === 0 || to !== undefined || out !== undefined) return usage(io, 'validate takes one or more files');
    let failed = 0;
    for (const file of positional) {
      const text = await read(io, file);
      if (text === undefined) {
        failed++;
        continue;
      }
      try {
        const r = parseNdm(text, { file, mode });
        for (const w of r.warnings) io.stdout(formatProblem(w));
        io.stdout(`${file}: valid ${r.message.type} ${r.message.version} (${r.syntax.toUpperCase()}${mode === 'lenient' ? ', lenient' : ''}, ${r.warnings.length} warning(s))`);
      } catch (err) {
        if (!(err instanceof CcsdsParseError)) throw err;
        failed++;
        for (const p of err.problems) io.stdout(formatProblem(p));
        io.stdout(`${file}: INVALID (${err.problems.filter((p) => p.severity === 'error').length} error(s))`);
      }
    }
    return failed > 0 ? 1 : 0;
  }
  if (cmd === 'convert') {
    if (positional.length !== 1) return usage(io, 'convert takes exactly one file');
    if (to !== 'kvn' && to !== 'xml' && to !== 'json') return usage(io, '--to must be kvn, xml or json');
    const file = positional[0];
    const text = await read(io, file);
    if (text === undefined) return 1;
    let output: string;
    try {
      const message = parseNdm(text, { file, mode }).message;
      try {
        output = writeNdm(message, to as Syntax);
      } catch (err) {
        // A message type read but not written (OCM): said, not thrown.
        io.stderr(`${file}: cannot convert: ${(err as Error).message}`);
        return 1;
      }
    } catch (err) {
      if (!(err instanceof CcsdsParseError)) throw err;
      // CelesTrak's flat OMM JSON/CSV is accepted as input too (one OMM per record).
      const flat = tryCelestrak(text, file, mode);
      if (!flat) {
        for (const p of err.problems) io.stderr(formatProblem(p));
        return 1;
      }
      output = flat.map((m) => writeNdm(m, to as Syntax)).join('\n');
    }
    if (out !== undefined) {
      try {
        await io.writeFile(out, output);
      } catch (err) {
        io.stderr(`cannot write ${out}: ${(err as Error).message}`);
        return 1;
      }
    } else io.stdout(output);
    return 0;
  }
  return usage(io, cmd === undefined ? 'missing sub-command' : `unknown sub-command '${cmd}'`);
}

function tryCelestrak(text: string, file: string, mode: ParseMode) {
  if (/^[\uFEFF\s]*\[/.test(text) || /^OBJECT_NAME,/.test(text.trimStart())) {
    try {
      return parseCelestrakOmm(text, { file, mode }).messages;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

async function read(io: CcsdsCliIo, file: string): Promise<string | undefined> {
  try {
    return await io.readFile(file);
  } catch (err) {
    io.stderr(`${file}: cannot read (${(err as Error).message})`);
    return undefined;
  }
}

function usage(io: CcsdsCliIo, why: string): number {
  io.stderr(`scoop ccsds: ${why}\n${USAGE}`);
  return 2;
}
