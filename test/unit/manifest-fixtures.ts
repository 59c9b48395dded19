// Helpers for the manifest tests: write an fcx.yaml into a temporary folder and load it for real.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest } from '../../src/manifest/load';
import { ManifestError, type ManifestProblem } from '../../src/core/errors';
import type { Manifest } from '../../src/manifest/types';
import { makeTmpDir } from '../helpers/tmp';

export interface Fixture {
  dir: string;
  file: string;
  cleanup: () => void;
}

/** A folder with fcx.yaml (and any extra files, path → content). */
export function fixture(yaml: string, extra: Record<string, string> = {}): Fixture {
  const { dir, cleanup } = makeTmpDir('fcx-manifest-');
  const file = join(dir, 'fcx.yaml');
  writeFileSync(file, yaml);
  for (const [p, content] of Object.entries(extra)) {
    const target = join(dir, p);
    mkdirSync(join(target, '..'), { recursive: true });
    if (p.endsWith('/')) mkdirSync(target, { recursive: true });
    else writeFileSync(target, content);
  }
  return { dir, file, cleanup };
}

export async function load(yaml: string, opts: { env?: NodeJS.ProcessEnv; region?: string; extra?: Record<string, string> } = {}): Promise<Manifest> {
  const f = fixture(yaml, opts.extra);
  try {
    return await loadManifest(f.file, { env: opts.env ?? {}, region: opts.region, cwd: f.dir });
  } finally {
    f.cleanup();
  }
}

/** Loads and expects a ManifestError; returns its problems (file names relative to the fixture). */
export async function problemsOf(yaml: string, opts: { env?: NodeJS.ProcessEnv; extra?: Record<string, string> } = {}): Promise<ManifestProblem[]> {
  const f = fixture(yaml, opts.extra);
  try {
    await loadManifest(f.file, { env: opts.env ?? {}, cwd: f.dir });
  } catch (err) {
    if (err instanceof ManifestError) return err.problems;
    throw err;
  } finally {
    f.cleanup();
  }
  throw new Error('expected a ManifestError, but the manifest loaded');
}

/** "LINE:COL path: message" lines, easy to compare in assertions. */
export function lines(problems: ManifestProblem[]): string[] {
  return problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

export const MINIMAL = `name: hello-api
functions:
  web:
    runtime: python3.10
    handler: index.handler
`;
