// Eventual consistency: a role, log project or logstore that was just created may not be visible to the next
// call for a few seconds. These helpers retry such calls for a bounded time, saying what they wait for.
import { CloudError } from '../core/errors';
import { sleep } from '../cloud/retry';

export function visibilityTimeoutMs(env: NodeJS.ProcessEnv): number {
  const v = Number(env.FCX_VISIBILITY_TIMEOUT_MS);
  return Number.isFinite(v) && v >= 0 ? v : 60_000;
}

/** Errors that mean "what you just created is not visible yet" rather than "you asked for something wrong". */
export function isNotYetVisible(err: unknown): boolean {
  if (!(err instanceof CloudError)) return false;
  if (['ProjectNotExist', 'LogStoreNotExist', 'EntityNotExist.Role'].includes(err.code)) return true;
  if (err.service === 'fc' && (err.code === 'InvalidArgument' || err.code === 'AccessDenied') && /\brole\b|assume|logstore|log ?project|project .*not exist/i.test(err.cloudMessage)) return true;
  return false;
}

export interface WaitOptions {
  what: string; // "role fcx-app-role to become usable"
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  progress?: (text: string) => void;
}

/** Runs fn; while it fails with a not-yet-visible error, retries with growing pauses up to the bound. */
export async function retryWhileNotVisible<T>(fn: () => Promise<T>, o: WaitOptions): Promise<T> {
  const started = Date.now();
  const limit = visibilityTimeoutMs(o.env);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const waited = Date.now() - started;
      if (!isNotYetVisible(err) || waited >= limit || o.signal?.aborted) throw err;
      const pause = Math.min(500 * 2 ** attempt, 4000, Math.max(50, limit - waited));
      o.progress?.(`waiting for ${o.what} (${Math.round(waited / 1000)} s)`);
      await sleep(pause, o.signal);
    }
  }
}

/** Polls until check() answers a value, up to the bound; throws an FC-style message naming what never came. */
export async function waitUntil<T>(check: () => Promise<T | undefined>, o: WaitOptions): Promise<T> {
  const started = Date.now();
  const limit = visibilityTimeoutMs(o.env);
  for (let attempt = 0; ; attempt++) {
    const v = await check();
    if (v !== undefined) return v;
    const waited = Date.now() - started;
    if (waited >= limit || o.signal?.aborted) {
      throw new CloudError({
        service: 'sls',
        operation: 'wait',
        code: 'NotVisible',
        message: `gave up waiting for ${o.what} after ${Math.round(waited / 1000)} s`,
        hint: 'The cloud is slow to make it visible. Run the same command again in a minute: it continues where it stopped.',
      });
    }
    o.progress?.(`waiting for ${o.what} (${Math.round(waited / 1000)} s)`);
    await sleep(Math.min(300 * 2 ** attempt, 3000), o.signal);
  }
}

/** Runs fn over items with at most `limit` in flight; keeps order of results. Stops starting new ones once
 * `shouldStop()` says so (a failure or Ctrl-C); every started one is awaited. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>, shouldStop: () => boolean = () => false): Promise<Array<PromiseSettledResult<R> | undefined>> {
  const results: Array<PromiseSettledResult<R> | undefined> = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop()) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i], i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
