// fcx --version and --help must start nearly as fast as bare node: measured side by side in the same run.
import { spawnSync } from 'node:child_process';
import { fcxBin } from '../helpers/paths';
import { median, timeIt, type BenchReporter } from './reporter';

function run(args: string[]): void {
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
}

export default async function startup(r: BenchReporter): Promise<void> {
  r.section('Start-up (median of 15 runs, wall time)');
  const cases: Array<[string, string[]]> = [
    ['node -e 0', ['-e', '0']],
    ['fcx --version', [fcxBin, '--version']],
    ['fcx --help', [fcxBin, '--help']],
    ['fcx deploy --help', [fcxBin, 'deploy', '--help']],
  ];
  for (const [, args] of cases) run(args); // warm the disk cache
  const base: number[] = [];
  for (const [name, args] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) times.push(await timeIt(() => run(args)));
    const m = median(times);
    if (base.length === 0) base.push(m);
    r.row(name, `${m.toFixed(1)} ms`, base[0] ? `+${(m - base[0]).toFixed(1)} ms over bare node` : undefined);
  }
}
