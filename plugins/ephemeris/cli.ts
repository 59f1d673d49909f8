import { defineCommands } from '../../sdk/cli';

/**
 * The commands this module adds to `scoop` (sdk/cli.ts). The command's code, and the headless
 * kernel it starts, load only when it runs, so `scoop help` stays cheap.
 */
export const commands = defineCommands([
  {
    name: 'propagate',
    summary: 'propagate one object of a TLE file (sgp4, kepler or numerical) to JSON, CSV or OEM',
    usage:
      'scoop propagate --tle FILE --norad ID (--start ISO --stop ISO --step SECONDS | --minutes FROM:TO:STEP) [--frame TEME|GCRF|EME2000|ITRF|…] [--propagator sgp4|numerical|kepler] [--format json|csv|oem-kvn|oem-xml]',
    run: async (args, io) => (await import('./propagate-command')).propagateCommand(args, io),
  },
]);
