// The manifest loader every command calls: read → ${env:} → validate (with positions) → rules → defaults.
// Pure apart from reading fcx.yaml, its source folders and certificate files: no cloud SDK, no network.
import { readFile, stat } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { ManifestError, UsageError, type ManifestProblem } from '../core/errors';
import { MANIFEST_FILE, REGION_PATTERN } from './defaults';
import { normalize, type RawManifest } from './normalize';
import { manifestSchema } from './schema/fcx-schema';
import { unknownRegionWarning } from './regions';
import { parseTree, type RawProblem } from './tree';
import { validateTree } from './validate';
import type { Manifest } from './types';

export interface LoadOptions {
  /** Variables for ${env:NAME}; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** --region: wins over `region:` in the file. */
  region?: string;
  /** Base for the file name shown in messages; default process.cwd(). */
  cwd?: string;
  /** Told about things that are allowed but look wrong (a region id fcx does not know); pass ctx.ui.warn. */
  warn?: (message: string) => void;
}

/**
 * The manifest path for `-c/--config` (a file or a folder holding fcx.yaml), resolved against cwd.
 * Does not check that it exists; loadManifest() says so clearly.
 */
export function findManifestPath(cwd: string, config?: string): string {
  const p = resolve(cwd, config && config.length ? config : MANIFEST_FILE);
  try {
    if (statSync(p).isDirectory()) return join(p, MANIFEST_FILE);
  } catch {
    // not there: keep the path as given
  }
  // `fcx.yml` is a common spelling; use it when fcx.yaml itself is absent.
  if ((!config || config === MANIFEST_FILE) && !existsSync(p)) {
    const yml = resolve(cwd, 'fcx.yml');
    if (existsSync(yml)) return yml;
  }
  return p;
}

export async function loadManifest(file: string, opts: LoadOptions = {}): Promise<Manifest> {
  if (opts.region !== undefined && !new RegExp(REGION_PATTERN).test(opts.region)) {
    throw new UsageError(`--region '${opts.region}' is not a region id.`, 'Use an Alibaba Cloud region id such as cn-hangzhou, cn-shanghai or ap-southeast-1.');
  }
  const abs = resolve(file);
  let source: string;
  try {
    const st = await stat(abs);
    if (st.isDirectory()) return loadManifest(join(abs, MANIFEST_FILE), opts);
    source = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new UsageError(
        `There is no ${basenameOf(abs)} in ${dirname(abs)}.`,
        `Run \`fcx init\` to create an app there, or pass -c <path to fcx.yaml>.`,
      );
    }
    throw new UsageError(`Cannot read ${abs}: ${(err as Error).message}`, 'Check the file permissions, or pass -c <path to fcx.yaml>.');
  }
  const { manifest, problems } = parseManifestText(source, abs, opts);
  if (problems.length) throw new ManifestError(problems);
  const regionWarning = unknownRegionWarning(manifest!.region);
  if (regionWarning) opts.warn?.(regionWarning);
  return manifest!;
}

/** The same as loadManifest() for text already in memory (used by `fcx domain bind` before writing). */
export function parseManifestText(source: string, file: string, opts: LoadOptions = {}): { manifest?: Manifest; problems: ManifestProblem[] } {
  const abs = resolve(file);
  const shown = displayName(abs, opts.cwd ?? process.cwd());
  const toProblems = (raw: RawProblem[]): ManifestProblem[] =>
    raw
      .slice()
      .sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col)
      .map((p) => ({ file: shown, line: p.pos.line, col: p.pos.col, path: p.path, message: p.message }));

  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  const tree = parseTree(source, opts.env ?? process.env);
  if (!tree.root) return { problems: toProblems(tree.problems) };
  if (tree.root.kind !== 'map') {
    return { problems: toProblems([...tree.problems, { pos: tree.root.pos, path: '', message: 'expected a mapping at the top (name:, functions:, …)' }]) };
  }
  const validated = validateTree(tree.root, manifestSchema);
  const { manifest, problems } = normalize({
    raw: validated.value as RawManifest,
    positions: validated.positions,
    file: abs,
    dir: dirname(abs),
    region: opts.region,
  });
  const all = dedupe([...tree.problems, ...validated.problems, ...problems]);
  return { manifest: all.length ? undefined : manifest, problems: toProblems(all) };
}

function dedupe(problems: RawProblem[]): RawProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.pos.line}:${p.pos.col}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function basenameOf(p: string): string {
  return p.split(/[\\/]/).pop() || MANIFEST_FILE;
}

/** fcx.yaml, sub/fcx.yaml, or the absolute path when the file is outside the current folder. */
function displayName(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}
