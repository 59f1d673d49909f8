import { Epoch, type TimeOptions, type TimeScale } from '../astro/time';
import type { CcsdsEpoch } from './epoch';

/** Conversion of CCSDS epochs to `Epoch` instants (kept apart so the codecs do not load the time module). */
const SUPPORTED: Record<string, TimeScale> = { UTC: 'UTC', TAI: 'TAI', TT: 'TT', TDB: 'TDB', GPS: 'GPS', UT1: 'UT1' };

/** True when {@link ccsdsEpochToEpoch} can convert epochs of this time system. */
export function isConvertibleTimeSystem(timeSystem: string): boolean {
  return SUPPORTED[timeSystem.toUpperCase()] !== undefined;
}

/**
 * The instant of a CCSDS epoch. Throws for time systems Epoch does not model (TCB, TCG, MET,
 * MRT, SCLK, GMST), naming the system; UT1 needs `opts.ut1`.
 */
export function ccsdsEpochToEpoch(epoch: CcsdsEpoch, opts?: TimeOptions): Epoch {
  const scale = SUPPORTED[epoch.timeSystem.toUpperCase()];
  if (!scale) throw new Error(`time system ${epoch.timeSystem} of epoch '${epoch.text}' cannot be converted (supported: ${Object.keys(SUPPORTED).join(', ')})`);
  return Epoch.parse(epoch.text, scale, opts);
}
