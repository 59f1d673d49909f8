import { defineCommands } from '../../sdk/cli';

/** The commands this module adds to `scoop` (sdk/cli.ts); the code loads when the command runs. */
export const commands = defineCommands([
  {
    name: 'screen',
    summary: 'screen a TLE catalog file: protected objects against it, or all-vs-all',
    usage: 'scoop screen --catalog FILE (--primary ID[,ID…] | --all) --start ISO --hours H [--threshold-km K] [--format json|csv|cdm] [--out DIR] [--cdm-syntax kvn|xml]',
    run: async (args, io) => {
      const { runScreenCli } = await import('./screen-command');
      return runScreenCli(args, { readFile: io.readFile, stdout: io.out, stderr: io.err });
    },
  },
]);
