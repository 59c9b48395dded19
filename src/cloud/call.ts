// Every SDK call goes through here: retries with judgement, errors normalised, retries reported to the user.
import type { CloudService } from '../core/errors';
import type { Context } from '../core/context';
import { normalizeError } from './errors';
import { defaultRetryPolicy, withRetry } from './retry';

export async function cloudCall<T>(
  ctx: Pick<Context, 'ui' | 'env'> | undefined,
  service: CloudService,
  operation: string,
  endpoint: string,
  fn: () => Promise<T>,
): Promise<T> {
  return withRetry(
    fn,
    (err) => normalizeError(err, { service, operation, endpoint }),
    defaultRetryPolicy(ctx?.env),
    (err, attempt, delay) => ctx?.ui.info(`  ${service.toUpperCase()} ${operation}: ${err.code}${err.status ? ` (HTTP ${err.status})` : ''}, retrying in ${delay} ms (attempt ${attempt + 1})`),
  );
}
