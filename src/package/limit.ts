// A tiny concurrency limiter: at most `n` of the given async jobs run at once.
export function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = (): void => {
    active--;
    const w = waiting.shift();
    if (w) w();
  };
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      next();
    }
  };
}
