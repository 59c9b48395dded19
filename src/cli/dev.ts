// fcx dev: run the app on an in-process emulator, redeploying when its files change.
import type { Command } from 'commander';
import type { CommandSpec } from './command';
import { UsageError } from '../core/errors';

export const devCommand: CommandSpec = {
  name: 'dev',
  summary: 'run the app locally on an in-process emulator, redeploying on file changes',
  help: `Examples:
  fcx dev                      serve the app on http://127.0.0.1:9200, follow its logs
  fcx dev --port 9300          another port
  fcx dev --no-logs            do not stream the functions' log lines

Everything \`fcx deploy\` does happens against the in-process emulator: same packaging, .fcignore, env and
routes. Custom domains answer by Host header: curl -H 'Host: api.example.com' http://127.0.0.1:9200/
Functions removed from fcx.yaml are removed locally too. The default port is 9200 because 9000 is where
custom-runtime apps listen (FC's caPort). State lives in .fcx/dev (delete it to start fresh).`,
  configure(cmd: Command) {
    cmd
      // Not 9000: that is FC's default port for custom-runtime apps, which run on this machine too.
      .option('--port <port>', 'port of the local cloud', '9200')
      .option('--data-dir <dir>', 'where the local cloud keeps its state (default: .fcx/dev beside fcx.yaml)')
      .option('--no-logs', "do not stream the functions' log lines");
  },
  async run(ctx, _args, opts) {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port "${opts.port}" is not a port number.`, 'Pass a number from 1 to 65535, e.g. --port 9300.');
    const { runDev } = await import('../dev/run.js');
    return runDev(ctx, { port, dataDir: opts.dataDir, logs: opts.logs !== false });
  },
};
