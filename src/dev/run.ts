// `fcx dev`: the app on an emulator inside this process, redeployed when its files change, with the functions'
// log lines streamed to the terminal. It reuses deploy and logs as they are, so what runs locally is exactly
// what `fcx deploy` would ship (same packaging, ignore rules, env and routes).
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Context } from '../core/context';
import { toFcxError } from '../core/errors';

export interface DevOptions {
  port: number;
  dataDir?: string;
  logs: boolean;
}

/** Changes under these never trigger a redeploy: build output, the emulator's own data, VCS and dependency caches. */
const IGNORED = [/(^|[\\/])\.fcx([\\/]|$)/, /(^|[\\/])\.git([\\/]|$)/, /(^|[\\/])node_modules([\\/]|$)/, /(^|[\\/])__pycache__([\\/]|$)/, /\.pyc$/, /~$/, /\.sw[px]$/];

export async function runDev(ctx: Context, o: DevOptions): Promise<number> {
  const { findManifestPath, loadManifest } = await import('../manifest/load.js');
  const manifestPath = findManifestPath(ctx.cwd, ctx.global.config);
  await loadManifest(manifestPath, { env: ctx.env, region: ctx.global.region, warn: (m) => ctx.ui.warn(m) }); // a manifest error stops before anything starts
  const appDir = dirname(manifestPath);

  const { startEmulator } = await import('../emulator/index.js');
  const emu = await startEmulator({ port: o.port, dataDir: o.dataDir ?? join(appDir, '.fcx', 'dev'), quiet: true });
  const devCtx: Context = { ...ctx, global: { ...ctx.global, endpoint: emu.url, local: true, yes: true, json: false } };
  ctx.ui.info(`fcx dev: local cloud on ${emu.url} (credentials fcx-local-key / fcx-local-secret). Ctrl-C to stop.`);

  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const { runDeploy } = await import('../deploy/run.js');
  const deploy = async (why: string) => {
    ctx.ui.step(why);
    try {
      await runDeploy(devCtx, { dryRun: false, prune: true, listFiles: false });
    } catch (err) {
      const e = toFcxError(err);
      ctx.ui.error(e.message, e.details, e.hint);
      ctx.ui.info('Fix it and save: fcx dev redeploys on the next change.');
    }
  };

  let watcher: FSWatcher | undefined;
  try {
    await deploy('Deploying the app to the local cloud');
    let timer: NodeJS.Timeout | undefined;
    const changed = new Set<string>();
    let running: Promise<void> = Promise.resolve();
    watcher = watch(appDir, { recursive: true }, (_event, file) => {
      if (!file || IGNORED.some((re) => re.test(String(file)))) return;
      changed.add(String(file).split(sep).join('/'));
      clearTimeout(timer);
      timer = setTimeout(() => {
        // Editors save through temporary files that are gone by now; name what is really there (or was removed).
        const all = [...changed];
        changed.clear();
        const present = all.filter((f) => existsSync(join(appDir, f)));
        const files = present.length ? present : all.map((f) => `${f} (removed)`);
        // Deploys run one after another; changes made meanwhile gather for the next one.
        running = running.then(() => deploy(`Changed: ${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}; redeploying`));
      }, 250);
    });
    ctx.ui.info(`Watching ${relative(ctx.cwd, appDir) || '.'} for changes.`);

    if (o.logs) {
      const { runLogs } = await import('../logs/run.js');
      const logsCtx: Context = { ...devCtx, signal: stop.signal };
      // Streams until Ctrl-C; a failure here must not stop the dev server.
      await runLogs(logsCtx, undefined, { tail: true, since: '1s' }).catch((err) => ctx.ui.warn(`log streaming stopped: ${toFcxError(err).message}`));
    }
    if (!stop.signal.aborted) await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    clearTimeout(timer);
    await running;
  } finally {
    watcher?.close();
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    await emu.close();
  }
  ctx.ui.info('fcx dev stopped.');
  return 0;
}
