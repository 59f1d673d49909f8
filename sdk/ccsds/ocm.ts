import { expectEnd, ODM_HEADER, readVersion, TIME_SYSTEM_KEY } from './common';
import { epochSeconds, epochSyntaxError, type CcsdsEpoch } from './epoch';
import type { Cursor, Token } from './lexer';
import { Diagnostics, type Loc } from './problems';
import { applyTimeSystem, E, emptySection, K, parseReal, R, readSections, section, type KvSection, type ReadContext } from './sections';
import { conversionFactor, parseUnit, sameUnit } from './units';

/**
 * Orbit Comprehensive Message, CCSDS 502.0-B-3 §6 (version 3.0), read only: header (Table
 * 6-2, the ODM header), metadata (Table 6-3), trajectory state time history blocks (Table 6-4)
 * and user-defined parameters (§6.2.10). The other blocks — physical properties, covariance,
 * manoeuvres, perturbations, orbit determination — are kept as their raw lines, with a warning
 * that their keywords were not checked.
 */
export const OCM_METADATA = section('metadata', [
  K('OBJECT_NAME', 'text'),
  K('INTERNATIONAL_DESIGNATOR', 'text'),
  K('CATALOG_NAME', 'text'),
  K('OBJECT_DESIGNATOR', 'text'),
  K('ALTERNATE_NAMES', 'text'),
  K('ORIGINATOR_POC', 'text'),
  K('ORIGINATOR_POSITION', 'text'),
  K('ORIGINATOR_PHONE', 'text'),
  K('ORIGINATOR_EMAIL', 'text'),
  K('ORIGINATOR_ADDRESS', 'text'),
  K('TECH_ORG', 'text'),
  K('TECH_POC', 'text'),
  K('TECH_POSITION', 'text'),
  K('TECH_PHONE', 'text'),
  K('TECH_EMAIL', 'text'),
  K('TECH_ADDRESS', 'text'),
  K('PREVIOUS_MESSAGE_ID', 'text'),
  K('NEXT_MESSAGE_ID', 'text'),
  K('ADM_MSG_LINK', 'text'),
  K('CDM_MSG_LINK', 'text'),
  K('PRM_MSG_LINK', 'text'),
  K('RDM_MSG_LINK', 'text'),
  K('TDM_MSG_LINK', 'text'),
  K('OPERATOR', 'text'),
  K('OWNER', 'text'),
  K('COUNTRY', 'text'),
  K('CONSTELLATION', 'text'),
  K('OBJECT_TYPE', 'text'),
  // 502.0-B-3 Table 6-3 gives TIME_SYSTEM a default (UTC); EPOCH_TZERO, the origin of the
  // relative time tags, is mandatory.
  { ...TIME_SYSTEM_KEY, req: false },
  R('EPOCH_TZERO', 'epoch'),
  K('OPS_STATUS', 'text'),
  K('ORBIT_CATEGORY', 'text'),
  K('OCM_DATA_ELEMENTS', 'text'),
  K('SCLK_OFFSET_AT_EPOCH', 'real', 's'),
  K('SCLK_SEC_PER_SI_SEC', 'real', 's'),
  K('PREVIOUS_MESSAGE_EPOCH', 'epoch'),
  K('NEXT_MESSAGE_EPOCH', 'epoch'),
  K('START_TIME', 'epoch'),
  K('STOP_TIME', 'epoch'),
  K('TIME_SPAN', 'real', 'd'),
  K('TAIMUTC_AT_TZERO', 'real', 's'),
  K('NEXT_LEAP_EPOCH', 'epoch'),
  K('NEXT_LEAP_TAIMUTC', 'real', 's'),
  K('UT1MUTC_AT_TZERO', 'real', 's'),
  K('EOP_SOURCE', 'text'),
  K('INTERP_METHOD_EOP', 'text'),
  K('CELESTIAL_SOURCE', 'text'),
]);

/** Trajectory block keywords (502.0-B-3 Table 6-4). */
export const OCM_TRAJ = section('traj', [
  K('TRAJ_ID', 'text'),
  K('TRAJ_PREV_ID', 'text'),
  K('TRAJ_NEXT_ID', 'text'),
  K('TRAJ_BASIS', 'text'),
  K('TRAJ_BASIS_ID', 'text'),
  K('INTERPOLATION', 'text'),
  K('INTERPOLATION_DEGREE', 'int', undefined, { min: 0 }),
  K('PROPAGATOR', 'text'),
  K('CENTER_NAME', 'text'),
  K('TRAJ_REF_FRAME', 'text'),
  K('TRAJ_FRAME_EPOCH', 'epoch'),
  K('USEABLE_START_TIME', 'epoch'),
  K('USEABLE_STOP_TIME', 'epoch'),
  K('ORB_REVNUM', 'real', undefined, { min: 0 }),
  E('ORB_REVNUM_BASIS', ['0', '1']),
  K('TRAJ_TYPE', 'text'),
  K('ORB_AVERAGING', 'text'),
  K('TRAJ_UNITS', 'text'),
]);

/** User-defined parameters block (§6.2.10): USER_DEFINED_xxx keywords only. */
export const OCM_USER = section('user', [], { userDefined: true });

/**
 * Elements of a trajectory line per TRAJ_TYPE (SANA orbital element sets referenced by
 * 502.0-B-3 Annex B): the count, and the standard units where this reader checks them.
 */
const ELEMENT_SETS: Record<string, { n: number; units?: string[] }> = {
  CARTP: { n: 3, units: ['km', 'km', 'km'] },
  CARTPV: { n: 6, units: ['km', 'km', 'km', 'km/s', 'km/s', 'km/s'] },
  CARTPVA: { n: 9, units: ['km', 'km', 'km', 'km/s', 'km/s', 'km/s', 'km/s**2', 'km/s**2', 'km/s**2'] },
  // a, e, i, Ω, ω, ν
  KEPLERIAN: { n: 6, units: ['km', 'n/a', 'deg', 'deg', 'deg', 'deg'] },
  KEPLERIANMEAN: { n: 6, units: ['km', 'n/a', 'deg', 'deg', 'deg', 'deg'] },
  DELAUNAY: { n: 6 },
  DELAUNAYMOD: { n: 6 },
  EQUINOCTIAL: { n: 6 },
  EQUINOCTIALMOD: { n: 6 },
  GEODETIC: { n: 6 },
  LDBARV: { n: 6 },
  ONSTATION: { n: 6 },
  POINCARE: { n: 6 },
};

/** One trajectory line: an absolute epoch or a time relative to EPOCH_TZERO, then the elements. */
export interface OcmTrajLine {
  epoch?: CcsdsEpoch;
  /** Seconds after EPOCH_TZERO (relative time tags). */
  afterTzeroS?: number;
  values: number[];
}

export interface OcmTrajectory {
  block: KvSection;
  /** TRAJ_TYPE (CARTPV when not given). */
  elementSet: string;
  /** TRAJ_UNITS as listed, if given. */
  units?: string[];
  lines: OcmTrajLine[];
}

/** A block this reader keeps without checking its keywords (PHYS, COV, MAN, PERT, OD). */
export interface OcmRawBlock {
  name: string;
  lines: string[];
}

export interface Ocm {
  type: 'OCM';
  version: string;
  header: KvSection;
  metadata: KvSection;
  trajectories: OcmTrajectory[];
  user: KvSection;
  otherBlocks: OcmRawBlock[];
}

const BLOCKS = ['TRAJ', 'PHYS', 'COV', 'MAN', 'PERT', 'OD', 'USER'];
const XML_BLOCKS: Record<string, string> = { traj: 'TRAJ', phys: 'PHYS', cov: 'COV', man: 'MAN', pert: 'PERT', od: 'OD', user: 'USER' };

/** KVN block marker (`TRAJ_START`…) or XML block element, as [block, 'open' | 'close']. */
function blockMark(tok: Token): [string, 'open' | 'close'] | undefined {
  if (tok.t === 'line') {
    const m = /^([A-Z]+)_(START|STOP)$/.exec(tok.text);
    if (m && BLOCKS.includes(m[1])) return [m[1], m[2] === 'START' ? 'open' : 'close'];
    return undefined;
  }
  if ((tok.t === 'open' || tok.t === 'close') && XML_BLOCKS[tok.name]) return [XML_BLOCKS[tok.name], tok.t];
  return undefined;
}

/** Reads `[km, km, km/s]` (KVN: the lexer sees it as a unit) or `km,km` into a list. */
function unitList(tok: Token & { t: 'kv' }): string[] {
  const text = tok.value === '' && tok.unit !== undefined ? tok.unit : tok.value.replace(/^\[|\]$/g, '');
  return text.split(',').map((u) => u.trim());
}

export function readOcm(cur: Cursor, diag: Diagnostics): Ocm {
  const version = readVersion(cur, diag, 'OCM', ['3.0']);
  const ctx: ReadContext = { diag, timeSystem: 'UTC' };
  const isMeta = (t: Token) => (t.t === 'open' && (t.name === 'META' || t.name === 'segment' || t.name === 'body' || t.name === 'metadata'));
  const head = readSections(cur, [ODM_HEADER], ctx, { stopAt: isMeta, elsewhere: () => false });
  let metadata = emptySection();
  const trajectories: OcmTrajectory[] = [];
  const otherBlocks: OcmRawBlock[] = [];
  let user = emptySection();
  let metaSeen = false;
  let pending = head.trailing;
  let tzero: number | undefined;
  for (let tok = cur.peek(); tok !== undefined; tok = cur.peek()) {
    if (tok.t === 'open' && (tok.name === 'META' || tok.name === 'metadata')) {
      cur.next();
      if (metaSeen) {
        diag.error(tok.loc, tok.name === 'META' ? 'META_START' : 'metadata', 'spurious second metadata section (an OCM has exactly one)');
        // Its content is not read (its own problems would only repeat this one).
        readSections(cur, [OCM_METADATA], { diag: new Diagnostics(diag.file, diag.mode), timeSystem: 'UTC' }, { stopAt: (t) => t.t === 'close' });
        if (cur.peek()?.t === 'close') cur.next();
        continue;
      }
      metaSeen = true;
      const r = readSections(cur, [OCM_METADATA], ctx, { leading: pending, stopAt: (t) => t.t === 'close' || t.t === 'line' || (t.t === 'open' && t.name !== 'metadata') });
      pending = r.trailing;
      const end = cur.peek();
      if (end?.t === 'close' && (end.name === 'META' || end.name === 'metadata')) cur.next();
      else diag.error(end?.loc ?? cur.endLoc(), 'META_STOP', 'missing META_STOP at the end of the metadata');
      metadata = r.sections[0];
      ctx.timeSystem = typeof metadata.fields.TIME_SYSTEM === 'string' ? metadata.fields.TIME_SYSTEM.toUpperCase() : 'UTC';
      applyTimeSystem(metadata, OCM_METADATA, ctx.timeSystem);
      const t0 = metadata.fields.EPOCH_TZERO;
      if (typeof t0 === 'object') tzero = epochSeconds(t0.text);
      continue;
    }
    if ((tok.t === 'open' || tok.t === 'close') && ['segment', 'body', 'data'].includes(tok.name)) {
      cur.next();
      continue;
    }
    if (tok.t === 'close' && tok.name === 'ocm') break;
    if (tok.t === 'comment') {
      cur.next();
      pending.push(tok.text);
      continue;
    }
    const mark = blockMark(tok);
    if (!mark || mark[1] !== 'open') {
      cur.next();
      const keyword = tok.t === 'kv' ? tok.key : tok.t === 'open' || tok.t === 'close' ? tok.name : tok.t === 'line' ? tok.text.split(/\s/)[0] : '';
      diag.error(tok.loc, keyword, mark ? `${mark[0]}_STOP without ${mark[0]}_START` : 'expected a block (TRAJ_START, PHYS_START, COV_START, MAN_START, PERT_START, OD_START, USER_START)');
      continue;
    }
    cur.next();
    if (!metaSeen) diag.error(tok.loc, 'META_START', `${mark[0]} block before the metadata`);
    const name = mark[0];
    const isEnd = (t: Token) => {
      const m = blockMark(t);
      return m !== undefined && m[0] === name && m[1] === 'close';
    };
    if (name === 'TRAJ') trajectories.push(readTrajectory(cur, ctx, tok.loc, pending, tzero, isEnd));
    else if (name === 'USER') {
      const r = readSections(cur, [OCM_USER], ctx, { leading: pending, stopAt: isEnd });
      user = r.sections[0];
      user.comments.push(...r.trailing);
    } else {
      const lines: string[] = pending.map((c) => `COMMENT ${c}`);
      for (let t = cur.peek(); t !== undefined && !isEnd(t) && !blockMark(t); t = cur.peek()) {
        cur.next();
        lines.push(t.t === 'kv' ? `${t.key} = ${t.value}${t.unit !== undefined ? ` [${t.unit}]` : ''}` : t.t === 'comment' ? `COMMENT ${t.text}` : t.t === 'line' ? t.text : t.t === 'open' ? `<${t.name}>` : `</${t.name}>`);
      }
      diag.warn(tok.loc, `${name}_START`, `${name} block kept as raw lines: its keywords are not checked by this reader (502.0-B-3 header, metadata, trajectory and user blocks are)`);
      otherBlocks.push({ name, lines });
    }
    pending = [];
    const end = cur.peek();
    if (end && isEnd(end)) cur.next();
    else diag.error(end?.loc ?? cur.endLoc(), `${name}_STOP`, `missing ${name}_STOP`);
  }
  if (!metaSeen) diag.error(cur.endLoc(), 'META_START', 'missing metadata section');
  expectEnd(cur, diag, 'OCM');
  return { type: 'OCM', version, header: head.sections[0], metadata, trajectories, user, otherBlocks };
}

function readTrajectory(cur: Cursor, ctx: ReadContext, loc: Loc, leading: string[], tzero: number | undefined, isEnd: (t: Token) => boolean): OcmTrajectory {
  const { diag } = ctx;
  let units: string[] | undefined;
  let unitsLoc: Loc | undefined;
  // TRAJ_UNITS is a bracketed list, which the KVN lexer reads as a unit: taken aside first.
  const r = readSections(
    {
      syntax: cur.syntax,
      endLoc: () => cur.endLoc(),
      peek: () => {
        let t = cur.peek();
        while (t?.t === 'kv' && t.key === 'TRAJ_UNITS') {
          units = unitList(t);
          unitsLoc = t.loc;
          cur.next();
          t = cur.peek();
        }
        return t;
      },
      next: () => cur.next(),
    },
    [OCM_TRAJ],
    ctx,
    { leading, stopAt: (t) => isEnd(t) || t.t === 'line' || (t.t === 'kv' && t.key === 'trajLine') },
  );
  const block = r.sections[0];
  block.comments.push(...r.trailing);
  const elementSet = typeof block.fields.TRAJ_TYPE === 'string' ? block.fields.TRAJ_TYPE.toUpperCase() : 'CARTPV';
  const set = ELEMENT_SETS[elementSet];
  if (!set) diag.error(r.firstLoc[0] ?? loc, 'TRAJ_TYPE', `'${elementSet}' is not an element set of 502.0-B-3 (${Object.keys(ELEMENT_SETS).join(', ')})`);
  if ('ORB_REVNUM' in block.fields && !('ORB_REVNUM_BASIS' in block.fields)) diag.error(r.firstLoc[0] ?? loc, 'ORB_REVNUM_BASIS', 'ORB_REVNUM is given without ORB_REVNUM_BASIS (0 or 1: the revolution count starts at 0 or 1)');
  const factors: number[] | undefined = set && units ? [] : undefined;
  if (set && units) {
    if (units.length !== set.n) diag.error(unitsLoc, 'TRAJ_UNITS', `${units.length} units for ${elementSet}, which has ${set.n} elements`);
    else if (set.units) {
      units.forEach((u, i) => {
        const std = set.units![i];
        if (sameUnit(u, std)) {
          factors!.push(1);
          return;
        }
        const f = parseUnit(u) ? conversionFactor(u, std) : undefined;
        if (f === undefined) diag.error(unitsLoc, 'TRAJ_UNITS', `unit [${u}] of element ${i + 1} is not commensurable with the [${std}] of ${elementSet}`);
        else diag.deviation(unitsLoc, 'TRAJ_UNITS', `unit [${u}] of element ${i + 1} where ${elementSet} uses [${std}]${diag.mode === 'lenient' ? ` (values converted, factor ${f})` : ''}`);
        factors!.push(f ?? 1);
      });
    }
  }
  const lines: OcmTrajLine[] = [];
  const locs: Loc[] = [];
  for (let t = cur.peek(); t !== undefined && !isEnd(t); t = cur.peek()) {
    if (t.t === 'comment') {
      cur.next();
      diag.warn(t.loc, 'COMMENT', 'comment among the trajectory lines moved to the start of the block');
      block.comments.push(t.text);
      continue;
    }
    const text = t.t === 'line' ? t.text : t.t === 'kv' && t.key === 'trajLine' ? t.value : undefined;
    if (text === undefined) break;
    cur.next();
    const f = text.trim().split(/\s+/);
    if (set && f.length - 1 !== set.n) {
      diag.error(t.loc, 'TRAJ_TYPE', `trajectory line has ${f.length - 1} elements; ${elementSet} has ${set.n}`);
      continue;
    }
    const line: OcmTrajLine = { values: [] };
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(f[0])) {
      line.afterTzeroS = Number(f[0]);
      if (tzero === undefined) diag.error(t.loc, 'EPOCH_TZERO', `relative time ${f[0]} but no EPOCH_TZERO`);
    } else {
      const why = epochSyntaxError(f[0]);
      if (why) {
        diag.error(t.loc, 'TRAJ_START', why);
        continue;
      }
      line.epoch = { text: f[0], timeSystem: ctx.timeSystem };
    }
    let ok = true;
    for (let i = 1; i < f.length; i++) {
      const x = parseReal(f[i]);
      if (x === undefined) {
        diag.error(t.loc, 'TRAJ_START', `element ${i} '${f[i]}' is not a number`);
        ok = false;
        break;
      }
      line.values.push(diag.mode === 'lenient' && factors?.[i - 1] !== undefined ? x * factors[i - 1] : x);
    }
    if (ok) {
      lines.push(line);
      locs.push(t.loc);
    }
  }
  if (lines.length === 0) diag.error(loc, 'TRAJ_START', 'trajectory block without trajectory lines');
  // Time order (502.0-B-3 §6.2.4: lines in increasing time), relative tags placed on EPOCH_TZERO.
  let prev = -Infinity;
  lines.forEach((l, i) => {
    const s = l.epoch ? epochSeconds(l.epoch.text) : (tzero ?? 0) + (l.afterTzeroS ?? 0);
    if (!(s > prev)) diag.deviation(locs[i], 'TRAJ_START', `trajectory line at ${l.epoch?.text ?? `+${l.afterTzeroS} s`} is not after the previous one`);
    prev = s;
  });
  const out: OcmTrajectory = { block, elementSet, lines };
  if (units) out.units = units;
  return out;
}
