// Deploy cost on the emulator (a separate process, like a user's): wall time and cloud API calls (reads and
// writes, from /_emulator/requests) of a first deploy, a no-op redeploy and a one-line code change, for 1 and
// for 20 functions.
import { startEmulatorProcess } from '../helpers/emulator';
import { APP_PY, App, callsSince, fn, isWrite, lastSeq } from '../e2e/deploy-fixture';
import { timeIt, type BenchReporter } from './reporter';

export default async function deployBench(r: BenchReporter): Promise<void> {
  r.section('Deploy on the emulator (wall time of the CLI; API calls as reads + writes)');
  const emu = await startEmulatorProcess();
  try {
    for (const n of [1, 20]) {
      const functions: Record<string, object> = {};
      for (let i = 0; i < n; i++) functions[`fn${i}`] = fn({ env: { T_I: String(i) } });
      const a = new App(emu, { name: `bench-${n}`, region: 'cn-hangzhou', functions });
      try {
        const measure = async (label: string) => {
          const since = await lastSeq(emu);
          let code = -1;
          const ms = await timeIt(async () => {
            const res = await a.run(['deploy', '--yes']);
            code = res.code;
            if (code !== 0) throw new Error(`deploy failed: ${res.stderr}`);
          });
          const calls = await callsSince(emu, since);
          const writes = calls.filter(isWrite).length;
          r.row(`${n} function${n > 1 ? 's' : ''}: ${label}`, `${ms.toFixed(0)} ms`, `${calls.length} calls (${calls.length - writes} reads, ${writes} writes)`);
        };
        await measure('first deploy');
        await measure('no-op redeploy');
        a.writeCode(`# one changed line ${Date.now()}\n` + APP_PY);
        await measure('one-line code change');
      } finally {
        a.cleanup();
      }
    }
  } finally {
    await emu.close();
  }
}
