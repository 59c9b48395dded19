// Packaging speed against Info-ZIP on the same tree in the same run: 20,000 files, ~200 MB of mixed text and
// random binary (generated once, cached in the OS temp folder). fcx runs in a child process so its wall time
// includes start-up like zip's does, and so its peak RSS (process.resourceUsage().maxRSS) is its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';
import { median, timeIt, type BenchReporter } from './reporter';

const TREE = join(tmpdir(), 'fcx-bench-package-tree-v1');
const DONE = join(TREE, '.complete');
const FILES = 20_000;

/** Deterministic PRNG (mulberry32) so the tree is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateTree(): void {
  if (existsSync(DONE)) return;
  rmSync(TREE, { recursive: true, force: true });
  const rand = prng(42);
  const words = Array.from({ length: 2000 }, (_, i) => `w${i.toString(36)}${'abcdefghij'.slice(0, 1 + (i % 9))}`);
  const bin = (n: number): Buffer => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) b.writeUInt32LE((rand() * 4294967296) >>> 0, Math.min(i, n - 4));
    return b;
  };
  const text = (n: number): string => {
    const parts: string[] = [];
    let len = 0;
    while (len < n) {
      const line = Array.from({ length: 4 + Math.floor(rand() * 10) }, () => words[Math.floor(rand() * rand() * words.length)]).join(' ') + '\n';
      parts.push(line);
      len += line.length;
    }
    return parts.join('');
  };
  // 9 in 10 files are text (avg ~5 KB), 1 in 10 random binary (avg ~55 KB): ~200 MB in all.
  for (let i = 0; i < FILES; i++) {
    const dir = join(TREE, `pkg${String(i % 40).padStart(2, '0')}`, `mod${String(Math.floor(i / 40) % 25).padStart(2, '0')}`);
    if (i < 1000) mkdirSync(dir, { recursive: true });
    if (i % 10 === 9) writeFileSync(join(dir, `blob${i}.bin`), bin(10_000 + Math.floor(rand() * 90_000)));
    else writeFileSync(join(dir, `file${i}.py`), text(1000 + Math.floor(rand() * 9000)));
  }
  writeFileSync(join(TREE, 'main.py'), 'def handler(event, context):\n    return "ok"\n');
  writeFileSync(join(TREE, '.fcignore'), '.complete\n');
  writeFileSync(DONE, new Date().toISOString());
}

function dirSize(): { files: number; bytes: number } {
  const r = spawnSync('du', ['-sb', TREE], { encoding: 'utf8' });
  return { files: FILES, bytes: Number(r.stdout.split('\t')[0]) || 0 };
}

const CHILD = `
const { packageFunction } = require(process.argv[1]);
packageFunction({ name: 'bench', runtime: 'python3.10', handler: 'main.handler', source: process.argv[2], projectDir: process.argv[2], buildDir: process.argv[3], build: 'none' })
  .then((p) => { const u = process.resourceUsage(); console.log(JSON.stringify({ size: p.size, files: p.files.length, maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); })
  .catch((e) => { console.error(e.message); process.exit(1); });
`;

export default async function packageBench(r: BenchReporter): Promise<void> {
  const hasZip = spawnSync('zip', ['-v']).status === 0;
  generateTree();
  const { files, bytes } = dirSize();
  r.section(`Packaging ${files.toLocaleString('en')} files, ${(bytes / 1e6).toFixed(0)} MB (median of 3 runs, wall time)`);
  const out = join(tmpdir(), `fcx-bench-package-out-${process.pid}`);
  mkdirSync(out, { recursive: true });
  const mod = join(repoRoot, 'dist', 'src', 'package', 'package.js');
  let last: { size: number; files: number; maxRssKb: number; cpuMs: number } | undefined;
  const fcxCpu: number[] = [];
  const runFcx = (): void => {
    const res = spawnSync(process.execPath, ['-e', CHILD, mod, TREE, join(out, 'fcx')], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`fcx packaging failed: ${res.stderr}`);
    last = JSON.parse(res.stdout);
    fcxCpu.push(last!.cpuMs);
  };
  let zipRssKb = 0;
  const zipCpu: number[] = [];
  const runZip = (): void => {
    rmSync(join(out, 'zip.zip'), { force: true });
    const useTime = existsSync('/usr/bin/time');
    const res = useTime
      ? spawnSync('/usr/bin/time', ['-v', 'zip', '-qr', '-X', join(out, 'zip.zip'), '.'], { cwd: TREE, encoding: 'utf8' })
      : spawnSync('zip', ['-qr', '-X', join(out, 'zip.zip'), '.'], { cwd: TREE, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`zip failed: ${res.stderr}`);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr ?? '');
    if (m) zipRssKb = Number(m[1]);
    const u = /User time \(seconds\): ([\d.]+)/.exec(res.stderr ?? '');
    const sy = /System time \(seconds\): ([\d.]+)/.exec(res.stderr ?? '');
    if (u && sy) zipCpu.push((Number(u[1]) + Number(sy[1])) * 1000);
  };
  try {
    runFcx(); // warm the page cache for both
    const fcxTimes: number[] = [];
    const zipTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      fcxTimes.push(await timeIt(runFcx));
      if (hasZip) zipTimes.push(await timeIt(runZip));
    }
    const f = median(fcxTimes);
    r.row('fcx packageFunction (child process)', `${(f / 1000).toFixed(2)} s`, `zip ${(last!.size / 1e6).toFixed(1)} MB, ${last!.files} entries`);
    if (hasZip) {
      const z = median(zipTimes);
      r.row('zip -qr -X (Info-ZIP)', `${(z / 1000).toFixed(2)} s`, `zip ${(statSync(join(out, 'zip.zip')).size / 1e6).toFixed(1)} MB${zipRssKb ? `, peak RSS ${(zipRssKb / 1024).toFixed(0)} MB` : ''}`);
      r.row('fcx / zip wall time', `${(f / z).toFixed(2)}×`, f < z ? `fcx is ${(z / f).toFixed(1)}× faster` : `fcx is ${(f / z).toFixed(1)}× slower`);
    } else r.row('zip -qr -X (Info-ZIP)', 'n/a', 'zip is not installed');
    if (zipCpu.length) {
      r.row('CPU time (user+sys): fcx / zip', `${(median(fcxCpu.slice(1)) / 1000).toFixed(2)} s / ${(median(zipCpu) / 1000).toFixed(2)} s`, 'what the machine spends, whatever the load from other processes');
    }
    r.row('load average during the run', loadavg()[0].toFixed(1), 'wall times are only comparable within one run');
    r.row('fcx peak RSS', `${(last!.maxRssKb / 1024).toFixed(0)} MB`, 'process.resourceUsage().maxRSS of the packaging process');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
