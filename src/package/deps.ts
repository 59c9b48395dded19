// Dependency builds: requirements.txt → pip (Linux wheels for the target Python, at the zip root, since FC puts
// the code root on sys.path); package.json → npm production install (node_modules/). Each build is cached under
// <buildDir>/deps/<hash>, the hash covering the dependency files, the runtime and the flags: a hit runs nothing.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { FcxError } from '../core/errors';
import { isNode, isPython } from './handler';

export interface DepsOptions {
  runtime: string;
  source: string;
  buildDir: string;
  pipIndexArgs?: string[];
  onProgress?: (msg: string) => void;
}

export interface DepsBuild {
  kind: 'python' | 'node';
  /** Folder whose files go into the zip under `prefix`. */
  root: string;
  prefix: '' | 'node_modules/';
  cached: boolean;
  hash: string;
  /** The dependency file that caused the build (relative to the source). */
  manifestFile: string;
}

const CACHE_VERSION = 1;

/** What would be built for this source, without building: the kind and the cache key. */
export async function dependencyPlan(o: DepsOptions): Promise<{ kind: 'python' | 'node'; hash: string; manifestFile: string; inputs: Record<string, string> } | undefined> {
  if (isPython(o.runtime)) {
    const req = join(o.source, 'requirements.txt');
    if (!existsSync(req)) return undefined;
    const text = await fsp.readFile(req, 'utf8');
    const meaningful = text.split(/\r?\n/).some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (!meaningful) return undefined;
    const inputs = { 'requirements.txt': text };
    return { kind: 'python', manifestFile: 'requirements.txt', inputs, hash: hashOf({ v: CACHE_VERSION, kind: 'pip', runtime: o.runtime, inputs, args: o.pipIndexArgs ?? [] }) };
  }
  if (isNode(o.runtime)) {
    const pj = join(o.source, 'package.json');
    if (!existsSync(pj)) return undefined;
    const text = await fsp.readFile(pj, 'utf8');
    let parsed: { dependencies?: Record<string, string> };
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new FcxError(`${pj} is not valid JSON: ${(err as Error).message}`, { exitCode: 2, hint: 'Fix package.json, or set build: none for this function.' });
    }
    if (!parsed.dependencies || Object.keys(parsed.dependencies).length === 0) return undefined;
    const inputs: Record<string, string> = { 'package.json': text };
    for (const extra of ['package-lock.json', 'npm-shrinkwrap.json', '.npmrc']) {
      const p = join(o.source, extra);
      if (existsSync(p)) inputs[extra] = await fsp.readFile(p, 'utf8');
    }
    return { kind: 'node', manifestFile: 'package.json', inputs, hash: hashOf({ v: CACHE_VERSION, kind: 'npm', runtime: o.runtime, inputs }) };
  }
  return undefined;
}

function hashOf(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 24);
}

/** Builds (or reuses) the dependencies of a source folder; undefined when there is nothing to build. */
export async function buildDependencies(o: DepsOptions): Promise<DepsBuild | undefined> {
  const plan = await dependencyPlan(o);
  if (!plan) return undefined;
  const cacheDir = join(o.buildDir, 'deps', plan.hash);
  const result = (cached: boolean): DepsBuild => ({
    kind: plan.kind,
    root: plan.kind === 'node' ? join(cacheDir, 'out', 'node_modules') : join(cacheDir, 'out'),
    prefix: plan.kind === 'node' ? 'node_modules/' : '',
    cached,
    hash: plan.hash,
    manifestFile: plan.manifestFile,
  });
  if (existsSync(join(cacheDir, 'done.json'))) {
    o.onProgress?.(`Dependencies from ${plan.manifestFile} unchanged: using the cached build (${plan.hash})`);
    return result(true);
  }
  await fsp.mkdir(join(o.buildDir, 'deps'), { recursive: true });
  const tmp = `${cacheDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const out = join(tmp, 'out');
  await fsp.mkdir(out, { recursive: true });
  try {
    if (plan.kind === 'python') await pipInstall(o, out);
    else await npmInstall(o, out, plan.inputs);
    await fsp.writeFile(join(tmp, 'done.json'), JSON.stringify({ kind: plan.kind, runtime: o.runtime, builtAt: new Date().toISOString() }) + '\n');
    try {
      await fsp.rename(tmp, cacheDir);
    } catch {
      // Another fcx built the same thing meanwhile: theirs is as good as ours.
      await fsp.rm(tmp, { recursive: true, force: true });
      if (!existsSync(join(cacheDir, 'done.json'))) throw new FcxError(`Cannot store the dependency build in ${cacheDir}.`, { hint: `Remove ${join(o.buildDir, 'deps')} and run again.` });
    }
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  return result(false);
}

function pythonVersion(runtime: string): string {
  const m = /^python(\d+\.\d+)/.exec(runtime);
  return m ? m[1] : '3.10';
}

async function pipInstall(o: DepsOptions, out: string): Promise<void> {
  const ver = pythonVersion(o.runtime);
  const extra = o.pipIndexArgs ?? [];
  const args = [
    '-m', 'pip', 'install',
    '-r', join(o.source, 'requirements.txt'),
    '--target', out,
    '--platform', 'manylinux2014_x86_64',
    '--only-binary=:all:',
    '--python-version', ver,
    '--implementation', 'cp',
    '--no-compile',
    '--disable-pip-version-check',
    '--no-input',
    // Fail in seconds rather than minutes when the index cannot be reached (the user's args win).
    ...(extra.some((a) => a.startsWith('--retries')) ? [] : ['--retries', '1']),
    ...(extra.some((a) => a.startsWith('--timeout')) ? [] : ['--timeout', '15']),
    ...extra,
  ];
  o.onProgress?.(`Installing Python packages from requirements.txt for ${o.runtime} (Linux x86_64 wheels)`);
  const python = process.env.FCX_PYTHON || 'python3';
  const r = await runTool(python, args, o.source);
  if (r.code !== 0) {
    const unreachable = /Could not find a version|No matching distribution|NewConnectionError|Max retries|Temporary failure in name resolution|Network is unreachable|ConnectTimeout|timed out/i.test(r.output);
    throw new FcxError(`pip could not install requirements.txt for ${o.runtime} (exit ${r.code ?? r.signal}).`, {
      details: tail(r.output),
      hint: unreachable
        ? `If PyPI is unreachable from here, download Linux wheels (manylinux2014_x86_64, cp${ver.replace('.', '')}) into a folder and run with FCX_PIP_ARGS='--no-index --find-links DIR'. A package without a wheel needs one built for Linux, or set build: none and ship the packages yourself.`
        : 'Fix requirements.txt (see pip\'s output above), or set build: none and ship the packages yourself.',
    });
  }
}

async function npmInstall(o: DepsOptions, out: string, inputs: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(inputs)) await fsp.writeFile(join(out, name), text);
  const hasLock = 'package-lock.json' in inputs || 'npm-shrinkwrap.json' in inputs;
  const args = hasLock ? ['ci', '--omit=dev', '--no-audit', '--no-fund'] : ['install', '--omit=dev', '--no-audit', '--no-fund'];
  o.onProgress?.(`Installing Node.js packages from package.json (npm ${args[0]} --omit=dev)`);
  const r = await runTool(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, out);
  if (r.code !== 0) {
    const unreachable = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network/i.test(r.output);
    throw new FcxError(`npm ${args[0]} failed for ${join(o.source, 'package.json')} (exit ${r.code ?? r.signal}).`, {
      details: tail(r.output),
      hint: unreachable
        ? 'The npm registry seems unreachable: check the network or the registry in .npmrc, or set build: none and ship node_modules yourself.'
        : hasLock
          ? 'npm ci needs package-lock.json to match package.json: run npm install locally and commit the lockfile, or set build: none.'
          : 'Fix package.json (see npm\'s output above), or set build: none and ship node_modules yourself.',
    });
  }
  if (!existsSync(join(out, 'node_modules'))) await fsp.mkdir(join(out, 'node_modules'));
}

function tail(output: string, lines = 15): string[] {
  const all = output.replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
  return all.slice(-lines).map((l) => `  ${l}`);
}

function runTool(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
    let output = '';
    const keep = (b: Buffer): void => {
      output += b.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(new FcxError(`Cannot run ${cmd}: it is not installed or not on PATH.`, { hint: `Install ${cmd === 'npm' ? 'Node.js with npm' : 'Python 3 with pip'}, or set build: none for this function.` }));
      else reject(err);
    });
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}
