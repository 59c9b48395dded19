// Steps every app command shares: find and load fcx.yaml (before any cloud call), resolve where and as whom,
// and package functions.
import { isAbsolute, join } from 'node:path';
import type { Context } from '../core/context';
import type { FunctionSpec, Manifest } from '../manifest/types';
import type { FunctionPackage, PackagedFile } from '../package/types';
import type { CloudTarget } from '../cloud/target';
import { mapLimit } from './wait';
import { formatBytes } from './progress';

export async function loadApp(ctx: Context): Promise<Manifest> {
  const { findManifestPath, loadManifest } = await import('../manifest/load.js');
  const file = findManifestPath(ctx.cwd, ctx.global.config);
  return loadManifest(file, { env: ctx.env, region: ctx.global.region, cwd: ctx.cwd, warn: (m) => ctx.ui.warn(m) });
}

export async function targetFor(ctx: Context, m: Manifest): Promise<CloudTarget> {
  const { resolveTarget } = await import('../cloud/target.js');
  return resolveTarget(ctx, { region: m.region });
}

function packageOptions(ctx: Context, m: Manifest, f: FunctionSpec, onProgress?: (msg: string) => void) {
  const pipArgs = ctx.env.FCX_PIP_ARGS?.trim();
  return {
    name: f.name,
    runtime: f.runtime,
    handler: f.handler,
    initializer: f.initializer,
    source: f.source,
    projectDir: m.dir,
    buildDir: join(m.dir, '.fcx', 'build', f.name),
    build: f.build,
    pipIndexArgs: pipArgs ? pipArgs.split(/\s+/) : undefined,
    onProgress,
    // A domain's certificate and private key may sit in the app folder: they must never ship with the code.
    secretFiles: m.domains.flatMap((d) => [d.certificateSource, d.privateKeySource]).filter((p): p is string => Boolean(p && isAbsolute(p))),
  };
}

export async function packageAll(ctx: Context, m: Manifest, fns: FunctionSpec[], onProgress?: (fn: string, msg: string) => void): Promise<Map<string, FunctionPackage>> {
  const { packageFunction } = await import('../package/package.js');
  const out = new Map<string, FunctionPackage>();
  const results = await mapLimit(fns, 4, async (f) => {
    const pkg = await packageFunction(packageOptions(ctx, m, f, (msg) => onProgress?.(f.name, msg)));
    out.set(f.name, pkg);
  });
  for (const r of results) if (r?.status === 'rejected') throw r.reason;
  return out;
}

export async function listFiles(ctx: Context, m: Manifest, fns: FunctionSpec[]): Promise<string> {
  const { listPackageFiles } = await import('../package/package.js');
  const lines: string[] = [];
  for (const f of fns) {
    const files: PackagedFile[] = await listPackageFiles(packageOptions(ctx, m, f));
    const total = files.reduce((s, x) => s + x.size, 0);
    lines.push(`${f.name}: ${files.length} files, ${formatBytes(total)}`);
    for (const x of files) lines.push(`  ${formatBytes(x.size).padStart(9)}  ${x.path}`);
  }
  return lines.join('\n');
}

export function selectFunctions(m: Manifest, only: string[] | undefined): FunctionSpec[] {
  return only?.length ? m.functions.filter((f) => only.includes(f.name)) : m.functions;
}

/** Ctrl-C handling for long runs: the first press aborts the signal (stop starting new steps), the second quits. */
export function interruptOnSigint(ctx: Context): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onCtxAbort = () => ac.abort();
  ctx.signal.addEventListener('abort', onCtxAbort, { once: true });
  let presses = 0;
  const handler = () => {
    presses++;
    if (presses === 1) {
      ctx.ui.info(ctx.ui.c.yellow('Stopping: no new steps start; waiting for the ones in flight (Ctrl-C again to quit now)…'));
      ac.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      ctx.signal.removeEventListener('abort', onCtxAbort);
    },
  };
}

export async function confirm(message: string, def = false): Promise<boolean> {
  const mod: any = await import('inquirer');
  const inquirer = mod.default ?? mod;
  try {
    const { ok } = await inquirer.prompt([{ type: 'confirm', name: 'ok', message, default: def }]);
    return Boolean(ok);
  } catch (err) {
    if ((err as Error)?.name === 'ExitPromptError') return false; // Ctrl-C at the prompt: a "no"
    throw err;
  }
}
