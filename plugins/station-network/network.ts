import type { GroundStation } from '../../interfaces/domain/station';
import { compareIso, UtcIso } from '../../interfaces/domain/common';

/** Look-ups in a station list. Pure. */
export class Network {
  private readonly byId: Map<string, GroundStation>;

  constructor(readonly stations: GroundStation[]) {
    this.byId = new Map(stations.map((s) => [s.id, s]));
  }

  get ids(): string[] {
    return this.stations.map((s) => s.id);
  }

  station(id: string): GroundStation {
    const s = this.byId.get(id);
    if (!s) throw new Error(`station-network: unknown station '${id}' (known: ${this.ids.join(', ') || 'none'})`);
    return s;
  }

  get(ids: string[]): GroundStation[] {
    const unknown = ids.filter((id) => !this.byId.has(id));
    if (unknown.length) throw new Error(`station-network: unknown station(s) ${unknown.map((u) => `'${u}'`).join(', ')} (known: ${this.ids.join(', ') || 'none'})`);
    return ids.map((id) => this.byId.get(id)!);
  }

  /**
   * Minimum elevation (deg) at each azimuth (deg from north through east): the larger of the
   * station's `minElevationDeg` and its horizon mask, the mask being linear in azimuth between
   * its points and wrapping through north (the segment from the last point to the first + 360°).
   * A single-point mask is a constant.
   */
  maskElevationDeg(id: string, azimuthsDeg: number[]): number[] {
    const s = this.station(id);
    const pts = [...s.horizonMask].sort((a, b) => a.azDeg - b.azDeg);
    return azimuthsDeg.map((az) => {
      if (typeof az !== 'number' || !Number.isFinite(az)) throw new Error(`station-network: azimuth ${String(az)} is not a finite number of degrees`);
      return Math.max(s.minElevationDeg, maskAt(pts, ((az % 360) + 360) % 360));
    });
  }

  /** True at each UTC instant inside one of the station's availability windows (bounds included); no window = always. */
  isAvailable(id: string, instantsUtc: string[]): boolean[] {
    const s = this.station(id);
    return instantsUtc.map((t) => {
      if (!UtcIso.safeParse(t).success) throw new Error(`station-network: '${t}' is not a UTC instant YYYY-MM-DDThh:mm:ss[.f][Z]`);
      if (s.availability.length === 0) return true;
      return s.availability.some((w) => compareIso(w.startUtc, t) <= 0 && compareIso(t, w.stopUtc) <= 0);
    });
  }
}

function maskAt(pts: { azDeg: number; minElDeg: number }[], az: number): number {
  if (pts.length === 0) return -Infinity;
  if (pts.length === 1) return pts[0].minElDeg;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i];
    const b = pts[(i + 1) % pts.length];
    const bAz = i + 1 < pts.length ? b.azDeg : b.azDeg + 360;
    const x = az < a.azDeg ? az + 360 : az; // the wrapping segment covers [last, first + 360)
    if (x >= a.azDeg && x <= bAz) return a.minElDeg + ((x - a.azDeg) / (bAz - a.azDeg)) * (b.minElDeg - a.minElDeg);
  }
  // az before the first point: on the wrapping segment
  const last = pts[pts.length - 1];
  const first = pts[0];
  return last.minElDeg + ((az + 360 - last.azDeg) / (first.azDeg + 360 - last.azDeg)) * (first.minElDeg - last.minElDeg);
}
