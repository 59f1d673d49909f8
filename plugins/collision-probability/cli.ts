import { defineCommands } from '../../sdk/cli';

/**
 * The commands this module adds to `scoop` (sdk/cli.ts); the code loads when the command runs.
 * Run without a kernel, `scoop pc` takes the hard-body radius from --hbr-m, then the CDM's
 * HBR comment, then the configuration default.
 */
export const commands = defineCommands([
  {
    name: 'pc',
    summary: 'probability of collision of a CDM (or a JSON batch of encounters)',
    usage: 'scoop pc --cdm FILE [--method foster|chan|alfano|patera|max|monte-carlo] [--hbr-m R] [--hbr-shape circle|square] [--json] | scoop pc --batch FILE.json',
    run: async (args, io) => {
      const { pcCommand } = await import('./pc-command');
      return pcCommand(args, { readFile: io.readFile, stdout: io.out, stderr: io.err });
    },
  },
]);
