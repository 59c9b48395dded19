// Benchmarks print rows into one table so `npm run bench` output can be pasted into the README as is.
export interface BenchReporter {
  section(title: string): void;
  row(name: string, value: string, note?: string): void;
}

export type Bench = (r: BenchReporter) => Promise<void>;

/** Wall time of fn in ms. */
export async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
