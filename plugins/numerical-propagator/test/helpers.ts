import type { GravityField } from '../../../interfaces/domain/reference-data';
import { readReferenceText } from '../../../sdk/reference-data';
import { parseGfc } from '../gfc';

const cache = new Map<string, GravityField>();

/** JGM-3 (70×70) or EGM2008 (120×120) from the reference data set, parsed once per test process. */
export function referenceField(name: 'JGM3' | 'EGM2008'): GravityField {
  let f = cache.get(name);
  if (!f) {
    const rel = name === 'JGM3' ? 'gravity/brahe/JGM3.gfc' : 'gravity/brahe/EGM2008_120.gfc';
    f = parseGfc(readReferenceText(rel), rel);
    cache.set(name, f);
  }
  return f;
}
