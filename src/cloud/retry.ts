// Retries what is worth retrying (throttling, 5xx, resets, timeouts) with exponential backoff and full jitter,
// up to a bound. 4xx validation errors are never retried.
import type { CloudError } from '../core/errors';

export interface RetryPolicy {
  attempts: number; // total tries, including the first
  baseMs: number;
  maxMs: number;
}

export function defaultRetryPolicy(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  return {
    attempts: Number(env.FCX_RETRY_ATTEMPTS ?? 6),
    baseMs: Number(env.FCX_RETRY_BASE_MS ?? 200),
    maxMs: Number(env.FCX_RETRY_MAX_MS ?? 5000),
  };
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export async function withRetry<T>(
  fn: () => Promise<T>,
  normalize: (err: unknown) => CloudError,
  policy: RetryPolicy,
  onRetry?: (err: CloudError, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (raw) {
      const err = normalize(raw);
      if (!err.retryable || attempt >= policy.attempts) throw err;
      const delay = Math.round(Math.random() * Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)));
      onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
