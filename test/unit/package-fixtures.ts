// Shared helpers of the packaging tests: write trees, run python's zipfile on our zips.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PackageOptions } from '../../src/package/package';

export type TreeSpec = Record<string, string | Buffer | { content: string | Buffer; mode: number }>;

export function writeTree(root: string, spec: TreeSpec): void {
  for (const [p, v] of Object.entries(spec)) {
    const abs = join(root, p);
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof v === 'string' || Buffer.isBuffer(v)) writeFileSync(abs, v);
    else {
      writeFileSync(abs, v.content);
      chmodSync(abs, v.mode);
    }
  }
}

export function opts(projectDir: string, over: Partial<PackageOptions> = {}): PackageOptions {
  return {
    name: 'web',
    runtime: 'python3.10',
    handler: 'main.handler',
    source: projectDir,
    projectDir,
    buildDir: join(projectDir, '.fcx', 'build'),
    build: 'none',
    ...over,
  };
}

/** Runs python3 code with argv; returns stdout (throws with stderr on failure). */
export function python(code: string, ...args: string[]): string {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}

/** {path: [mode, sha256]} of every entry, read with python's zipfile (an independent zip reader). */
export function pyZipListing(zipPath: string): Record<string, [number, string]> {
  const out = python(
    `import sys, zipfile, hashlib, json
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: [i.external_attr >> 16 & 0o7777, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()}))`,
    zipPath,
  );
  return JSON.parse(out);
}
