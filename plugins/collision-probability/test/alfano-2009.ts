import { readReferenceText } from '../../../sdk/reference-data';

/** One Alfano (2009) test case at TCA, from the CSV conversion of CaseN_data_at_TCA (SI units, ECI). */
export interface AlfanoCase {
  caseNumber: number;
  tcaAfterEpochS: number;
  primary: { posM: number[]; velMS: number[]; covEciM2: number[][] };
  secondary: { posM: number[]; velMS: number[]; covEciM2: number[][] };
}

const DIR = 'collision/nasa-cara-alfano-2009/csv-converted';

function numbers(line: string): number[] {
  return line
    .split(',')
    .filter((c) => c.trim() !== '')
    .map(Number);
}

/** Reads `Case{n}_data_{at_TCA|at_Epoch_Time}__Sheet1.csv`: labelled blocks of position, velocity, 6×6 covariance. */
export function readAlfanoCase(n: number, at: 'TCA' | 'Epoch_Time' = 'TCA'): AlfanoCase {
  const rel = `${DIR}/Case${n}_data_at_${at}__Sheet1.csv`;
  const lines = readReferenceText(rel).split(/\r?\n/);
  const title = lines[0];
  const m = /TCA, (\d+) seconds after epoch/.exec(title);
  const find = (label: RegExp, from = 0): number => {
    const i = lines.findIndex((l, k) => k >= from && label.test(l));
    if (i < 0) throw new Error(`${rel}: label ${label} not found`);
    return i;
  };
  const block = (who: 'Primary' | 'Secondary') => {
    const p = find(new RegExp(`^${who} Object ECI position`));
    const v = find(new RegExp(`^${who} Object ECI velocity`), p);
    const c = find(new RegExp(`^${who} Object ECI covariance`), v);
    return { posM: numbers(lines[p + 1]), velMS: numbers(lines[v + 1]), covEciM2: [1, 2, 3, 4, 5, 6].map((k) => numbers(lines[c + k])) };
  };
  return { caseNumber: n, tcaAfterEpochS: m ? Number(m[1]) : 0, primary: block('Primary'), secondary: block('Secondary') };
}

/** CARA's table of the twelve cases (A09TestCases_01_12_Distributed.csv): HBR and the published Pc values. */
export function readAlfanoTable(): { caseNumber: number; hbrM: number; pcMc1e8: number; caraPc2D: number; caraPc3D: number; caraPcMc: number; caraPcMcLo: number; caraPcMcHi: number }[] {
  const lines = readReferenceText('collision/nasa-cara-alfano-2009/A09TestCases_01_12_Distributed.csv').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).map((l) => {
    const c = l.split(',');
    return {
      caseNumber: Number(c[col('Case')]),
      hbrM: Number(c[col('HBR')]),
      pcMc1e8: Number(c[col('A09_PcMC1e8')]),
      caraPc2D: Number(c[col('CARA_Pc2D')]),
      caraPc3D: Number(c[col('CARA_Pc3D')]),
      caraPcMc: Number(c[col('CARA_PcMC')]),
      caraPcMcLo: Number(c[col('CARA_PcMCLo95')]),
      caraPcMcHi: Number(c[col('CARA_PcMCHi95')]),
    };
  });
}
