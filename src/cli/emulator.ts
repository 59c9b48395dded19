// fcx emulator: runs the local cloud (FC 2.0, OSS, RAM, STS, SLS on one port) in the foreground until Ctrl-C.
// stdout: the URL as the first line (or one JSON line with --json), so scripts and tests can read it.
// stderr: the credentials, how to point fcx at it, then one line per cloud call (unless --quiet).
import type { Command } from 'commander';
import type { CommandSpec } from './command';
import type { Context } from '../core/context';
import { UsageError } from '../core/errors';

const HELP = `Examples:
  fcx emulator                              listen on http://127.0.0.1:9100, state in ./.fcx/emulator
  fcx emulator --port 0 --json              any free port; prints {"url","port",...} on stdout
  fcx emulator --data-dir /tmp/emu --quiet  another state folder, no line per call

Then, in another terminal:
  export FCX_ENDPOINT=http://127.0.0.1:9100
  fcx deploy --local --yes

Well-known credentials: access key id fcx-local-key, secret fcx-local-secret, account 1234567890123456,
region cn-hangzhou (override with the options above). State survives restarts; delete the data dir to start over.`;

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port '${v}' is not a port number`, 'use a number between 1 and 65535, or 0 for any free port');
  return n;
}

export const emulatorCommand: CommandSpec = {
  name: 'emulator',
  summary: 'run the local Function Compute emulator (FC, OSS, RAM, STS, SLS on one port)',
  help: HELP,
  configure(cmd: Command) {
    cmd
      .option('-p, --port <port>', 'port to listen on (0 = any free port)', '9100')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--data-dir <dir>', 'where state (resources, code, objects, logs) is kept', '.fcx/emulator')
      .option('--access-key-id <id>', 'access key id the emulator accepts', 'fcx-local-key')
      .option('--access-key-secret <secret>', 'secret of that access key', 'fcx-local-secret')
      .option('--account-id <id>', 'account id of the emulated cloud', '1234567890123456')
      .option('-q, --quiet', 'do not print a line per cloud call');
  },
  async run(ctx: Context, _args: string[], opts: Record<string, any>) {
    const { resolve } = await import('node:path');
    const { startEmulator } = await import('../emulator/index.js');
    const port = parsePort(String(opts.port));
    const accountId = String(opts.accountId);
    if (!/^\d{1,32}$/.test(accountId)) throw new UsageError(`--account-id '${accountId}' must be digits`, 'Alibaba Cloud account ids are numbers, e.g. 1234567890123456');
    const region = ctx.global.region ?? 'cn-hangzhou';
    const dataDir = resolve(ctx.cwd, String(opts.dataDir));
    const err = ctx.ui.err;
    const emu = await startEmulator({
      host: String(opts.host),
      port,
      dataDir,
      accessKeyId: String(opts.accessKeyId),
      accessKeySecret: String(opts.accessKeySecret),
      accountId,
      region,
      quiet: Boolean(opts.quiet),
      log: (line) => err.write(line + '\n'),
    });
    // Handlers go in before the URL is printed: whoever reads the URL may signal at once.
    const stopped = new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      ctx.signal.addEventListener('abort', stop, { once: true });
    });
    const c = emu.config;
    if (ctx.global.json) {
      ctx.ui.jsonLine({ url: emu.url, port: emu.port, accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, accountId: c.accountId, region: c.region, dataDir: c.dataDir });
    } else {
      ctx.ui.data(emu.url);
    }
    // These are local, documented credentials: printed as they are (not through the secret redactor).
    err.write(
      [
        `fcx emulator listening on ${emu.url} (FC 2016-08-15, OSS, RAM, STS, SLS)`,
        `  access key id      ${c.accessKeyId}`,
        `  access key secret  ${c.accessKeySecret}`,
        `  account id         ${c.accountId}`,
        `  region             ${c.region}`,
        `  data dir           ${c.dataDir}`,
        '',
        'Use it from another terminal:',
        `  export FCX_ENDPOINT=${emu.url}`,
        '  fcx deploy --local --yes',
        '',
        `Control API: ${emu.url}/_emulator/health, /_emulator/requests. Press Ctrl-C to stop.`,
        '',
      ].join('\n'),
    );
    await stopped;
    err.write('stopping the emulator…\n');
    await emu.close();
    return 0;
  },
};
