import * as fs from 'node:fs';

/**
 * NASA CARA hard-body-radius and mass table (`HBR_Mass_Estimates_<yyyymmdd>_ForDistribution.csv`,
 * NASA CARA Analysis Tools, DataFiles/HBRMassEstimates, with its 01_Distribution_README.txt).
 *
 * Columns: ObjectID (NORAD catalog number), HBR, HBRSigma, HBRSource, Mass, MassSigma,
 * MassSource. HBR is in metres and mass in kilograms (CARA's conventions: the README's
 * effective-HBR formula combines HBR and HBRSigma of both objects in the same length unit;
 * the ISS row reads 66.1 and 419725, i.e. m and kg). Sources, in CARA's order of priority:
 * "CARA Protected Primary", "DISCOS DB", "SFK RCS Estimate", "Default" (and "CARA Override").
 * Rows whose source is "DISCOS DB" carry no value in the distributed file (DISCOS data may
 * not be redistributed): for those the lookup reports the source and no radius.
 */
export interface HardBodyEstimate {
  radiusM?: number;
  radiusSigmaM: number;
  radiusSource: string;
  massKg?: number;
  massSigmaKg: number;
  massSource: string;
}

export class HbrTable {
  private constructor(
    private readonly rows: Map<number, HardBodyEstimate>,
    readonly file: string,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  get(noradId: number): HardBodyEstimate | undefined {
    return this.rows.get(noradId);
  }

  static load(file: string): HbrTable {
    return HbrTable.parse(fs.readFileSync(file, 'utf8'), file);
  }

  /** Parses the CSV; a malformed row throws naming the file, line and column. */
  static parse(text: string, file = '<hbr table>'): HbrTable {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = lines[0].split(',').map((h) => h.trim());
    const want = ['ObjectID', 'HBR', 'HBRSigma', 'HBRSource', 'Mass', 'MassSigma', 'MassSource'];
    const col = want.map((w) => header.indexOf(w));
    const missing = want.filter((_, i) => col[i] < 0);
    if (missing.length) throw new Error(`${file}:1: header lacks column(s) ${missing.join(', ')} (expected ${want.join(',')})`);
    const rows = new Map<number, HardBodyEstimate>();
    const num = (cells: string[], i: number, line: number, optional: boolean): number | undefined => {
      const t = (cells[col[i]] ?? '').trim();
      if (t === '' || t.toLowerCase() === 'nan') {
        if (optional) return undefined;
        return 0;
      }
      const v = Number(t);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${file}:${line}: ${want[i]} '${t}' is not a non-negative number`);
      return v;
    };
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      const cells = lines[i].split(',');
      const id = Number(cells[col[0]]);
      if (!Number.isInteger(id) || id < 0) throw new Error(`${file}:${i + 1}: ObjectID '${cells[col[0]]}' is not a catalog number`);
      const e: HardBodyEstimate = {
        radiusSigmaM: num(cells, 2, i + 1, false)!,
        radiusSource: (cells[col[3]] ?? '').trim(),
        massSigmaKg: num(cells, 5, i + 1, false)!,
        massSource: (cells[col[6]] ?? '').trim(),
      };
      const r = num(cells, 1, i + 1, true);
      if (r !== undefined) e.radiusM = r;
      const m = num(cells, 4, i + 1, true);
      if (m !== undefined) e.massKg = m;
      rows.set(id, e);
    }
    return new HbrTable(rows, file);
  }
}
