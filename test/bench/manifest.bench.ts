// How long fcx.yaml takes to load (read → ${env:} → validate with positions → defaults): the template's
// manifest, a large one (100 functions, 20 domains), and one with 100 problems (the error path).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest } from '../../src/manifest/load';
import { listTemplates, scaffold } from '../../src/manifest/scaffold';
import { makeTmpDir } from '../helpers/tmp';
import { median, timeIt, type BenchReporter } from './reporter';

function large(functions: number, domains: number, broken: boolean): string {
  let y = 'name: big-app\nregion: cn-hangzhou\nfunctions:\n';
  for (let i = 0; i < functions; i++) {
    y += `  fn${i}:\n    runtime: python3.10\n    handler: index.handler\n    memory: ${broken ? 100 : 256}\n    env: { A: "0.10", B: \${env:HOME:-x} }\n    http: true\n`;
  }
  y += 'domains:\n';
  for (let d = 0; d < domains; d++) y += `  d${d}.example.com:\n    routes:\n      /*: fn${d}\n      /api/*: { function: fn${d + 1}, methods: [GET] }\n`;
  return y;
}

export default async function (r: BenchReporter): Promise<void> {
  r.section('manifest: loadManifest (median of 20)');
  const { dir, cleanup } = makeTmpDir('fcx-bench-manifest-');
  try {
    const t = listTemplates().find((x) => x.name === 'python-web')!;
    scaffold({ template: t, dir: join(dir, 'tpl'), name: 'bench', region: 'cn-hangzhou' });
    writeFileSync(join(dir, 'big.yaml'), large(100, 20, false));
    writeFileSync(join(dir, 'bad.yaml'), large(100, 0, true));
    const cases: [string, string][] = [
      ['python-web template', join(dir, 'tpl', 'fcx.yaml')],
      ['100 functions, 20 domains', join(dir, 'big.yaml')],
      ['100 problems (error path)', join(dir, 'bad.yaml')],
    ];
    for (const [label, file] of cases) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) times.push(await timeIt(() => loadManifest(file, { env: {} }).catch(() => undefined)));
      r.row(label, `${median(times).toFixed(2)} ms`);
    }
  } finally {
    cleanup();
  }
}
