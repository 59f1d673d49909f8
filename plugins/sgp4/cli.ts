import { defineCommands } from '../../sdk/cli';

/**
 * The commands this module adds to `scoop` (see sdk/cli.ts). The command's code is loaded
 * only when it runs, so `scoop help` stays cheap.
 */
export const commands = defineCommands([
  {
    name: 'propagate',
    summary: 'propagate one object of a TLE file with SGP4',
    usage: 'scoop propagate --tle FILE --norad ID (--start ISO --stop ISO --step SECONDS | --minutes FROM:TO:STEP) [--frame F] [--json]',
    run: async (args, io) => (await import('./propagate-command')).propagateCommand(args, io),
  },
]);
