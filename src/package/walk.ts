// Walks a function's source folder into the list of files that go into its zip: .fcignore rules (nested files
// too, deepest wins), built-in excludes, symlinks followed as regular files/folders when they stay inside the
// project, and every bad link (outside, dangling, looping) reported together with its path.
import { readFileSync, readdirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ExitCode, FcxError } from '../core/errors';
import { HARD_EXCLUDES, IgnoreFile, IgnoreStack, builtinExcludes } from './ignore';

export interface SourceFile {
  /** posix path inside the zip */
  path: string;
  /** where the bytes are read from (a link's target is read through the link) */
  absPath: string;
  size: number;
  /** permission bits (0o777) */
  mode: number;
  /** Installed by the dependency build rather than written by the developer. */
  fromDeps?: boolean;
}

export interface WalkOptions {
  root: string; // absolute folder
  runtime: string;
  /** Symlinks must resolve inside one of these (real paths). */
  allowedRoots: string[];
  /** Absolute folders never packaged (e.g. the build folder when it sits inside the source). */
  skipDirs?: string[];
  /** Extra lowest-priority rules (e.g. `node_modules/` when dependencies are built). */
  extraExcludes?: string[];
  /** Read `.fcignore` files (false for dependency staging folders). */
  useIgnoreFiles?: boolean;
}

interface Problem {
  path: string;
  message: string;
}

const IGNORE_FILE = '.fcignore';

function isInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !rel.startsWith(sep);
}

/** Sorts by the bytes of the UTF-8 path, which is what makes the zip reproducible across machines and locales. */
export function sortFiles(files: SourceFile[]): SourceFile[] {
  const keyed = files.map((f) => ({ f, k: Buffer.from(f.path) }));
  keyed.sort((a, b) => Buffer.compare(a.k, b.k));
  return keyed.map((x) => x.f);
}

// Synchronous on purpose: for 20,000 files, sync readdir/stat of cached metadata takes a fraction of the CPU of
// promise-based calls through the thread pool, and nothing else can run before the list is complete anyway.
export async function walkSource(opts: WalkOptions): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const problems: Problem[] = [];
  const skip = new Set((opts.skipDirs ?? []).map((d) => d));
  const useIgnoreFiles = opts.useIgnoreFiles ?? true;
  let base = new IgnoreStack([builtinExcludes(opts.runtime)]);
  if (opts.extraExcludes?.length) base = base.with(new IgnoreFile(opts.extraExcludes.join('\n'), ''));
  if (!useIgnoreFiles) base = new IgnoreStack([new IgnoreFile(['__pycache__/', '*.pyc', ...(opts.extraExcludes ?? [])].join('\n'), '')]);
  const rootReal = realpathSync(opts.root);

  // chain: real paths of the folders from the root down to this one, to catch a link looping back up.
  const walkDir = (abs: string, rel: string, real: string, stack: IgnoreStack, chain: Map<string, string>): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: rel || '.', message: `cannot be read: ${(err as Error).message}` });
      return;
    }
    if (useIgnoreFiles && entries.some((e) => e.name === IGNORE_FILE && (e.isFile() || e.isSymbolicLink()))) {
      try {
        const text = readFileSync(join(abs, IGNORE_FILE), 'utf8');
        stack = stack.with(new IgnoreFile(text, rel));
      } catch (err) {
        problems.push({ path: rel ? `${rel}/${IGNORE_FILE}` : IGNORE_FILE, message: `cannot be read: ${(err as Error).message}` });
      }
    }
    for (const e of entries) {
      if (HARD_EXCLUDES.includes(e.name)) continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const childAbs = join(abs, e.name);
      if (e.isDirectory()) {
        if (skip.has(childAbs) || stack.isIgnored(childRel, true)) continue;
        const childReal = join(real, e.name);
        walkDir(childAbs, childRel, childReal, stack, new Map(chain).set(childReal, childRel));
        continue;
      }
      if (e.isFile()) {
        if (stack.isIgnored(childRel, false)) continue;
        try {
          const st = statSync(childAbs);
          files.push({ path: childRel, absPath: childAbs, size: st.size, mode: st.mode & 0o777 });
        } catch (err) {
          problems.push({ path: childRel, message: `cannot be read: ${(err as Error).message}` });
        }
        continue;
      }
      if (e.isSymbolicLink()) {
        followLink(childAbs, childRel, stack, chain);
        continue;
      }
      // Sockets, FIFOs and devices cannot be shipped; leaving them out is what zip tools do too.
    }
  };

  const followLink = (abs: string, rel: string, stack: IgnoreStack, chain: Map<string, string>): void => {
    let st: Stats;
    let target = '';
    try {
      target = readlinkSync(abs);
      st = statSync(abs);
    } catch (err) {
      if (stack.isIgnored(rel, false)) return;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') problems.push({ path: rel, message: `is a symbolic link that loops (-> ${target})` });
      else if (code === 'ENOENT' || code === 'ENOTDIR') problems.push({ path: rel, message: `is a symbolic link to ${target}, which does not exist` });
      else problems.push({ path: rel, message: `is a symbolic link that cannot be followed: ${(err as Error).message}` });
      return;
    }
    const isDir = st.isDirectory();
    if (stack.isIgnored(rel, isDir)) return;
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (err) {
      problems.push({ path: rel, message: `is a symbolic link that cannot be resolved: ${(err as Error).message}` });
      return;
    }
    if (!opts.allowedRoots.some((r) => isInside(real, r))) {
      problems.push({ path: rel, message: `is a symbolic link to ${target}${real === target ? '' : ` (${real})`}, outside the project folder` });
      return;
    }
    if (isDir) {
      for (const [ancestorReal, ancestorRel] of chain) {
        if (isInside(ancestorReal, real) || ancestorReal === real) {
          problems.push({ path: rel, message: `is a symbolic link that loops back to ${ancestorRel || 'the source folder'} (-> ${target})` });
          return;
        }
      }
      if (skip.has(real)) return;
      walkDir(abs, rel, real, stack, new Map(chain).set(real, rel));
      return;
    }
    if (st.isFile()) files.push({ path: rel, absPath: abs, size: st.size, mode: st.mode & 0o777 });
  };

  walkDir(opts.root, '', rootReal, base, new Map([[rootReal, '']]));

  if (problems.length) {
    problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const links = problems.some((p) => p.message.includes('symbolic link'));
    throw new FcxError(`Cannot package ${opts.root}: ${problems.length === 1 ? 'a file has a problem' : `${problems.length} files have problems`}.`, {
      exitCode: ExitCode.usage,
      details: problems.map((p) => `${p.path}: ${p.message}`),
      hint: links
        ? 'Symbolic links must point to files or folders inside the project. Copy the target into the project, fix or remove the link, or list it in .fcignore.'
        : 'Fix the permissions or list the files in .fcignore.',
    });
  }
  return sortFiles(files);
}
