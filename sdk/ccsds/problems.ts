/**
 * Problems found while reading a CCSDS Navigation Data Message, and the one error type that
 * reading may throw.
 *
 * Every problem names the input (file), where in it (KVN line number, or XML/JSON path), the
 * keyword concerned, and the reason, so an operator can fix the file without a debugger.
 */
export type Severity = 'error' | 'warning';

export interface CcsdsProblem {
  file: string;
  /** 1-based line number (KVN, and XML when the position is known). */
  line?: number;
  /** XPath-like location in XML or JSON input, e.g. `/cdm/body/segment[1]/data/stateVector/X`. */
  xmlPath?: string;
  /** The keyword (or structural element) concerned; '' when the problem is about the whole file. */
  keyword: string;
  message: string;
  severity: Severity;
}

/** Where a token came from. */
export interface Loc {
  line?: number;
  xmlPath?: string;
}

export function formatProblem(p: CcsdsProblem): string {
  const where = [p.file, p.line !== undefined ? String(p.line) : undefined].filter((x) => x !== undefined).join(':');
  const path = p.xmlPath ? ` ${p.xmlPath}` : '';
  const kw = p.keyword ? ` ${p.keyword}:` : '';
  return `${where}${path}: ${p.severity}:${kw} ${p.message}`;
}

/** Thrown by every reader when the input is not a valid message (in the requested mode). */
export class CcsdsParseError extends Error {
  constructor(
    readonly file: string,
    readonly problems: CcsdsProblem[],
  ) {
    const errors = problems.filter((p) => p.severity === 'error');
    const shown = errors.slice(0, 5).map(formatProblem).join('\n  ');
    super(`${file}: invalid CCSDS message (${errors.length} error(s)):\n  ${shown}${errors.length > 5 ? '\n  ...' : ''}`);
    this.name = 'CcsdsParseError';
  }
}

export type ParseMode = 'strict' | 'lenient';

export interface ParseOptions {
  /** Name of the input, used in every problem (default '<input>'). */
  file?: string;
  /**
   * 'strict' (default): the standards as written. 'lenient': what real files contain —
   * non-standard units (converted when unambiguous), values carried in COMMENT lines, empty
   * mandatory values — are collected as warnings instead of errors.
   */
  mode?: ParseMode;
}

/** Collects problems while one message is read. */
export class Diagnostics {
  readonly problems: CcsdsProblem[] = [];
  constructor(
    readonly file: string,
    readonly mode: ParseMode,
  ) {}

  error(loc: Loc | undefined, keyword: string, message: string): void {
    this.problems.push({ file: this.file, ...locOf(loc), keyword, message, severity: 'error' });
  }

  warn(loc: Loc | undefined, keyword: string, message: string): void {
    this.problems.push({ file: this.file, ...locOf(loc), keyword, message, severity: 'warning' });
  }

  /** An error in strict mode, a warning in lenient mode (a deviation real files commonly show). */
  deviation(loc: Loc | undefined, keyword: string, message: string): void {
    if (this.mode === 'lenient') this.warn(loc, keyword, message);
    else this.error(loc, keyword, message);
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  get warnings(): CcsdsProblem[] {
    return this.problems.filter((p) => p.severity === 'warning');
  }

  throwIfErrors(): void {
    if (this.hasErrors) throw new CcsdsParseError(this.file, this.problems);
  }
}

function locOf(loc: Loc | undefined): Loc {
  const out: Loc = {};
  if (loc?.line !== undefined) out.line = loc.line;
  if (loc?.xmlPath !== undefined) out.xmlPath = loc.xmlPath;
  return out;
}
