import { z } from '../../sdk';
import { GroundStationSchema } from '../../interfaces/domain/station';
import { DEFAULT_STATIONS } from './defaults';

/** One station as written in the configuration (the interfaces schema, unknown keys refused). */
export const StationConfig = GroundStationSchema.strict();

/** Station lists: ids unique, mask azimuths unique per station. */
export const StationList = z.array(StationConfig).superRefine((list, ctx) => {
  const seen = new Map<string, number>();
  list.forEach((s, i) => {
    const first = seen.get(s.id);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `station id '${s.id}' already used by entry ${first}` });
    else seen.set(s.id, i);
    const az = new Map<number, number>();
    s.horizonMask.forEach((p, k) => {
      if (az.has(p.azDeg)) ctx.addIssue({ code: 'custom', path: [i, 'horizonMask', k, 'azDeg'], message: `azimuth ${p.azDeg}° appears twice in the mask of '${s.id}'` });
      az.set(p.azDeg, k);
    });
  });
});

/** Configuration of the 'station-network' plugin (section plugins.station-network.config). Every key has a default. */
export const stationNetworkConfig = z
  .object({
    /** The network (default: Aussaguel, Kourou, Kiruna, Hartebeesthoek from NDOSL, Toulouse approximate). */
    stations: StationList.default(DEFAULT_STATIONS),
    /**
     * A YAML or JSON file holding the network instead (`stations: [...]` or a bare list), watched:
     * a valid edit replaces the network and publishes stations.updated, an invalid one is refused
     * (the network in use stays). null: use `stations`.
     */
    file: z.string().min(1).nullable().default(null),
  })
  .strict();

export type StationNetworkConfig = z.output<typeof stationNetworkConfig>;
