// What every command receives: the user's global choices and the ways to talk to them.
import { Ui } from '../ui/output';

export interface GlobalOptions {
  json: boolean;
  yes: boolean;
  config: string; // path to fcx.yaml
  region?: string;
  profile?: string;
  endpoint?: string; // --endpoint or FCX_ENDPOINT
  local: boolean;
  debug: boolean;
  color: boolean; // false with --no-color
}

export interface Context {
  ui: Ui;
  global: GlobalOptions;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** A prompt may be shown only when stdin and stdout are TTYs and --yes was not given. */
  canPrompt(): boolean;
  /** Resolves when the user presses Ctrl-C; commands that run long use it to stop cleanly. */
  signal: AbortSignal;
}

export interface IoOverrides {
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
}

export function makeContext(global: GlobalOptions, io: IoOverrides = {}): Context {
  const ui = new Ui({ json: global.json, color: global.color, debug: global.debug, stdout: io.stdout, stderr: io.stderr });
  const stdin = io.stdin ?? process.stdin;
  const stdoutTTY = Boolean((io.stdout ?? process.stdout).isTTY);
  const controller = new AbortController();
  return {
    ui,
    global,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    stdin,
    canPrompt: () => !global.yes && Boolean(stdin.isTTY) && stdoutTTY,
    signal: io.signal ?? controller.signal,
  };
}
