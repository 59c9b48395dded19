// Every SDK call goes through here: retries with judgement, errors normalised, retries reported to the user.
import type { CloudService } from '../core/errors';
import type { Context } from '../core/context';
import { normalizeError } from './errors';
import { withResponseCapture, type CapturedResponse } from './http-capture';
import { defaultRetryPolicy, withRetry } from './retry';

export async function cloudCall<T>(
  ctx: Pick<Context, 'ui' | 'env'> | undefined,
  service: CloudService,
  operation: string,
  endpoint: string,
  fn: () => Promise<T>,
): Promise<T> {
  // Each attempt records the HTTP status of its response: some SDKs leave it out of their errors.
  let response: CapturedResponse = {};
  return withRetry(
    () => withResponseCapture((response = {}), fn),
    (err) => normalizeError(err, { service, operation, endpoint, response }),
    defaultRetryPolicy(ctx?.env),
    (err, attempt, delay) => ctx?.ui.info(`  ${service.toUpperCase()} ${operation}: ${err.code}${err.status ? ` (HTTP ${err.status})` : ''}, retrying in ${delay} ms (attempt ${attempt + 1})`),
  );
}

/** How long one HTTP request may wait for its answer before it counts as a (retried) timeout. */
export function httpTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.FCX_HTTP_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 30_000;
}

/** Requests that carry function code inline (up to 100 MB of base64) get longer. */
export function uploadTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.FCX_UPLOAD_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 600_000;
}
