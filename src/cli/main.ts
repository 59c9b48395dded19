// argv → commander (built from the registry) → the command's run() → exit code. Errors become messages here.
import { Command, CommanderError, Option } from 'commander';
import { commands } from './registry';
import type { CommandSpec } from './command';
import { makeContext, type GlobalOptions, type IoOverrides } from '../core/context';
import { CloudError, ExitCode, FcxError, ManifestError, toFcxError } from '../core/errors';
import { redact } from '../ui/redact';
import { Ui } from '../ui/output';
import { version } from '../core/version';

const GLOBAL_HELP = `
Examples:
  fcx init hello --template python-web   scaffold a Python web API
  fcx emulator                           the local cloud on http://127.0.0.1:9100 (leave it running)
  cd hello && fcx deploy --local --yes   deploy the app to it
  fcx invoke --path /hello --local       call it through its HTTP trigger
  fcx logs --request-id <id> --local     show one request's log lines
  fcx dev                                deploy, serve and follow logs in one process, redeploying on save

Exit codes: 0 ok, 1 cloud or runtime failure, 2 usage or manifest error (nothing was called),
3 a person must act (DNS record missing, or --yes needed without a terminal).
Docs: README.md in the fcx package. Every command has --help with examples.`;

const GROUP_SUMMARY: Record<string, string> = { domain: 'put the API on your own domain name' };

function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print machine-readable JSON on stdout (logs: JSON Lines)')
    .option('-y, --yes', 'answer yes to confirmations; never prompt')
    .option('-c, --config <file>', 'the app manifest', 'fcx.yaml')
    .option('--region <region>', 'Alibaba Cloud region, e.g. cn-hangzhou (overrides fcx.yaml)')
    .option('--profile <name>', 'credentials profile from ~/.aliyun/config.json or ~/.alibabacloud/credentials')
    .addOption(new Option('--endpoint <url>', 'send every cloud call to this base URL (e.g. an emulator)').env('FCX_ENDPOINT'))
    .option('--local', 'target the local emulator (FCX_ENDPOINT or http://127.0.0.1:9100) with its well-known credentials')
    .option('--debug', 'trace every cloud request (secrets redacted)')
    .option('--no-color', 'no colours in output (NO_COLOR is honoured too)');
}

function globalsFrom(opts: Record<string, any>, env: NodeJS.ProcessEnv): GlobalOptions {
  return {
    json: Boolean(opts.json),
    yes: Boolean(opts.yes),
    config: opts.config ?? 'fcx.yaml',
    region: opts.region,
    profile: opts.profile ?? env.ALIBABA_CLOUD_PROFILE,
    // An empty FCX_ENDPOINT (`FCX_ENDPOINT=$UNSET_VAR` in CI) means none, never the real cloud with --local.
    endpoint: (opts.endpoint || env.FCX_ENDPOINT || '').trim() || undefined,
    local: Boolean(opts.local),
    debug: Boolean(opts.debug) || env.FCX_DEBUG === '1',
    color: opts.color !== false,
  };
}

export function buildProgram(io: IoOverrides, onRun: (spec: CommandSpec, args: string[], opts: Record<string, any>) => Promise<void>): Command {
  const program = new Command('fcx');
  program
    .description('Deploy web APIs to Alibaba Cloud Function Compute — and run them offline on a local emulator of the cloud.')
    .version(version(), '-V, --version', 'print the fcx version')
    .helpOption('-h, --help', 'show help for a command')
    .addHelpText('after', GLOBAL_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (io.stdout ?? process.stdout).write(s),
      writeErr: (s) => (io.stderr ?? process.stderr).write(s),
    });
  addGlobalOptions(program);

  const groups = new Map<string, Command>();
  for (const spec of commands) {
    const words = spec.name.split(' ');
    let parent = program;
    if (words.length === 2) {
      let group = groups.get(words[0]);
      if (!group) {
        const members = commands.filter((c) => c.name.startsWith(`${words[0]} `)).map((c) => c.name.split(' ')[1]);
        group = program.command(words[0]).description(`${GROUP_SUMMARY[words[0]] ?? words[0]}: ${members.join(', ')}`);
        group.exitOverride().configureOutput(program.configureOutput());
        groups.set(words[0], group);
      }
      parent = group;
    }
    const cmd = parent.command(words[words.length - 1] + (spec.args ? ` ${spec.args}` : '')).description(spec.summary);
    cmd.exitOverride().configureOutput(program.configureOutput());
    // The command's own options first; the options every command shares under their own heading below them.
    spec.configure?.(cmd);
    cmd.optionsGroup('Global options:');
    addGlobalOptions(cmd);
    if (spec.help) cmd.addHelpText('after', '\n' + spec.help);
    cmd.action(async (...actionArgs: any[]) => {
      const command: Command = actionArgs[actionArgs.length - 1];
      const positional = actionArgs.slice(0, -2).map((a) => a);
      await onRun(spec, positional, command.optsWithGlobals());
    });
  }
  return program;
}

function errorJson(e: FcxError): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = { message: redact(e.message), exitCode: e.exitCode };
  if (e.details.length) error.details = e.details.map(redact);
  if (e.hint) error.hint = redact(e.hint);
  if (e instanceof CloudError) Object.assign(error, { service: e.service, operation: e.operation, status: e.status, code: e.code, requestId: e.requestId });
  if (e instanceof ManifestError) error.problems = e.problems;
  return { error };
}

/** Runs fcx with argv (without node and script) and resolves to the exit code. Never calls process.exit. */
export async function main(argv: string[], io: IoOverrides = {}): Promise<number> {
  const env = io.env ?? process.env;
  let exitCode: number = ExitCode.ok;
  let ui: Ui | undefined;
  let debug = false;
  const program = buildProgram(io, async (spec, args, opts) => {
    const global = globalsFrom(opts, env);
    debug = global.debug;
    const ctx = makeContext(global, io);
    ui = ctx.ui;
    const code = await spec.run(ctx, args, opts);
    exitCode = typeof code === 'number' ? code : ExitCode.ok;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit with 0; parse errors (already printed by commander) are usage errors.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      if (err.code === 'commander.executeSubCommandAsync') return ExitCode.ok;
      return ExitCode.usage;
    }
    const e: FcxError = toFcxError(err);
    const out = ui ?? new Ui({ stdout: io.stdout, stderr: io.stderr, color: !argv.includes('--no-color') });
    out.error(e.message, e.details, e.hint);
    if (debug && e.stack) out.debug(e.stack);
    // Under --json, stdout ends with one JSON object even when the command fails, so scripts always have one to
    // parse; on one line, so JSON Lines output (fcx logs) stays JSON Lines.
    if (ui?.json ?? argv.includes('--json')) out.jsonLine(errorJson(e));
    return e.exitCode;
  }
  return exitCode;
}
