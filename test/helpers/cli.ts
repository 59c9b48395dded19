// Runs the built CLI as a child process, the way a user does, and captures what it printed.
import { spawn } from 'node:child_process';
import { fcxBin } from './paths';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Environment for a CLI run against an emulator: its endpoint, its credentials, no colours, an isolated HOME. */
export function emulatorEnv(endpoint: string, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'SYSTEMROOT', 'TMPDIR', 'LANG']) if (process.env[k]) base[k] = process.env[k];
  return {
    ...base,
    HOME: home,
    NO_COLOR: '1',
    FCX_ENDPOINT: endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'fcx-local-key',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'fcx-local-secret',
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ...extra,
  };
}

export function runFcx(args: string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fcxBin, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fcx ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}
