// The tail loop with a scripted LogSource, a fake clock and a fake sleep: polite polling, backing off when
// throttled, the look-back window, and stopping on abort. (The real thing runs in test/e2e/logs-tail.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tailLines } from '../../src/logs/tail';
import { Deduper } from '../../src/logs/dedupe';
import type { LogSource } from '../../src/logs/fetch';
import { CloudError } from '../../src/core/errors';
import type { LogRecord } from '../../src/logs/records';

test('polls every 1.5 s over a 10 s look-back, doubles the wait when throttled, resets after a good answer, stops on abort', async () => {
  let clock = 1_000_000_000;
  const windows: Array<[number, number]> = [];
  const sleeps: number[] = [];
  const script = ['ok', 'throttle', 'throttle', 'ok', 'ok'];
  const ac = new AbortController();
  const src: LogSource = {
    async getLogsPage(q) {
      windows.push([q.from, q.to]);
      const step = script[windows.length - 1];
      if (step === 'throttle') throw new CloudError({ service: 'sls', operation: 'GetLogs', status: 403, code: 'ReadQuotaExceed', retryable: true });
      if (windows.length >= script.length) ac.abort();
      return { rows: [{ __time__: String(q.to - 1), serviceName: 's', functionName: 'web', instanceID: 'i', message: `poll ${windows.length}` }], complete: true };
    },
  };
  const printed: LogRecord[] = [];
  const backoffs: number[] = [];
  await tailLines(src, { service: 's', indexedFields: new Set() }, undefined, 1_000_000 - 60, new Deduper(), (r) => printed.push(...r), {
    signal: ac.signal,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    onBackoff: (_e, next) => backoffs.push(next),
  });
  assert.deepEqual(sleeps, [1500, 3000, 6000, 1500]);
  assert.deepEqual(backoffs, [3000, 6000]);
  // First poll starts where it was told; later ones look back 10 s from the previous end.
  assert.equal(windows[0][0], 1_000_000 - 60);
  assert.equal(windows[1][0], windows[0][1] - 10);
  // Throttled polls print nothing; the poll during which Ctrl-C came is dropped, not half-printed.
  assert.deepEqual(printed.map((r) => r.message), ['poll 1', 'poll 4']);
});

test('a non-transient error ends the tail with that error', async () => {
  const src: LogSource = {
    async getLogsPage() {
      throw new CloudError({ service: 'sls', operation: 'GetLogs', status: 400, code: 'ParameterInvalid', retryable: false });
    },
  };
  await assert.rejects(
    tailLines(src, { service: 's', indexedFields: new Set() }, undefined, 0, new Deduper(), () => {}, { signal: new AbortController().signal, sleep: async () => {} }),
    /ParameterInvalid/,
  );
});
