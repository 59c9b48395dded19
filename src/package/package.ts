// Turns a function's source folder into the zip FC runs (DESIGN §6): what goes in (.fcignore, built-in
// excludes, dependencies), checks that stop a broken deploy early (handler file, bootstrap, CRLF scripts, bad
// links), and a reproducible zip whose CRC-64 is FC's codeChecksum, so unchanged code is never uploaded again.
// Decisions: CRLF scripts are rejected, not rewritten (the bytes deployed are the bytes on disk); .fcignore files
// themselves stay out; empty folders are not stored (zip entries are files only); the same files give the same
// bytes for a given Node.js/zlib version (a Node upgrade may change deflate output once, costing one upload).
import { createReadStream, existsSync, promises as fsp, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Crc64 } from '../core/crc64';
import { ExitCode, FcxError, UsageError } from '../core/errors';
import { buildDependencies } from './deps';
import { checkEntryPoints, isCustom } from './handler';
import type { FunctionPackage, PackagedFile } from './types';
import { sortFiles, walkSource, type SourceFile } from './walk';
import { readZipEntries, ZipFormatError } from '../core/zip/read';
import { writeZip } from './zip-writer';

export interface PackageOptions {
  name: string; // function name
  runtime: string;
  handler: string;
  initializer?: string;
  source: string; // absolute folder or .zip
  projectDir: string; // folder of fcx.yaml: symlinks may not leave it
  buildDir: string; // e.g. <projectDir>/.fcx/build
  build: 'auto' | 'none';
  pipIndexArgs?: string[]; // extra pip args, e.g. ['--no-index','--find-links', dir] from env FCX_PIP_ARGS
  onProgress?: (msg: string) => void;
  /** Custom runtime started by a configured command: no `bootstrap` needed. */
  hasCommand?: boolean;
  /** Files that must never ship in code, e.g. the TLS certificate and private key fcx.yaml names (absolute paths). */
  secretFiles?: string[];
}

/** gitignore patterns, anchored at the source root, for the secret files that lie inside it. */
function secretExcludes(source: string, secretFiles: string[] = []): string[] {
  const out: string[] = [];
  for (const file of secretFiles) {
    const rel = relative(source, file);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) continue;
    out.push('/' + rel.split(sep).join('/').replace(/([*?[\\!#])/g, '\\$1').replace(/^ | $/g, '\\ '));
  }
  return out;
}

function isZipSource(source: string): boolean {
  return source.toLowerCase().endsWith('.zip') && existsSync(source) && statSync(source).isFile();
}

function checkSource(opts: PackageOptions): void {
  if (!isAbsolute(opts.source)) throw new FcxError(`Internal: the source of ${opts.name} must be an absolute path, got ${opts.source}.`);
  if (!existsSync(opts.source)) {
    throw new UsageError(`The source of function ${opts.name} does not exist: ${opts.source}.`, 'Fix source in fcx.yaml (a folder or a .zip, relative to fcx.yaml).');
  }
  const st = statSync(opts.source);
  if (!st.isDirectory() && !isZipSource(opts.source)) {
    throw new UsageError(`The source of function ${opts.name} must be a folder or a .zip file: ${opts.source}.`, 'Point source in fcx.yaml at the folder that holds your code.');
  }
}

/** The files of the package (sources + dependencies), sorted, with bootstrap made executable. Checks entry points. */
async function collectFiles(opts: PackageOptions): Promise<SourceFile[]> {
  const deps = opts.build === 'none' ? undefined : await buildDependencies({ runtime: opts.runtime, source: opts.source, buildDir: opts.buildDir, pipIndexArgs: opts.pipIndexArgs, onProgress: opts.onProgress });
  const projectReal = await fsp.realpath(opts.projectDir).catch(() => resolve(opts.projectDir));
  const sourceReal = await fsp.realpath(opts.source);
  const skipDirs = [resolve(opts.buildDir)];
  const sourceFiles = await walkSource({
    root: opts.source,
    runtime: opts.runtime,
    allowedRoots: [projectReal, sourceReal],
    skipDirs,
    // Built dependencies replace whatever node_modules the developer has (it may hold dev dependencies).
    extraExcludes: [...(deps?.kind === 'node' ? ['/node_modules/'] : []), ...secretExcludes(opts.source, opts.secretFiles)],
  });
  let files = sourceFiles;
  if (deps) {
    const depFiles = await walkSource({ root: deps.root, runtime: opts.runtime, allowedRoots: [await fsp.realpath(deps.root)], useIgnoreFiles: false });
    const own = new Set(sourceFiles.map((f) => f.path));
    // On a clash the developer's own file wins.
    const extra = depFiles.map((f) => ({ ...f, path: deps.prefix + f.path, fromDeps: true })).filter((f) => !own.has(f.path));
    files = sortFiles([...sourceFiles, ...extra]);
  }
  if (isCustom(opts.runtime)) {
    for (const f of files) if (f.path === 'bootstrap') f.mode |= 0o755;
  }
  checkEntryPoints({ runtime: opts.runtime, handler: opts.handler, initializer: opts.initializer, hasCommand: opts.hasCommand, source: opts.source }, new Set(files.map((f) => f.path)));
  return files;
}

async function zipSourceFiles(opts: PackageOptions): Promise<PackagedFile[]> {
  let entries;
  try {
    entries = await readZipEntries(opts.source);
  } catch (err) {
    if (err instanceof ZipFormatError) throw new UsageError(`${opts.source} is not a valid zip file: ${err.message}.`, 'Rebuild the zip, or point source at the folder instead.');
    throw err;
  }
  const files = entries.filter((e) => !e.isDirectory).map((e) => ({ path: e.path.replace(/^\.\//, ''), size: e.size, mode: e.mode }));
  checkEntryPoints({ runtime: opts.runtime, handler: opts.handler, initializer: opts.initializer, hasCommand: opts.hasCommand, source: opts.source }, new Set(files.map((f) => f.path)));
  return files;
}

export async function listPackageFiles(opts: PackageOptions): Promise<PackagedFile[]> {
  checkSource(opts);
  if (isZipSource(opts.source)) return zipSourceFiles(opts);
  return (await collectFiles(opts)).map((f) => ({ path: f.path, size: f.size, mode: f.mode }));
}

async function crc64OfFile(path: string): Promise<string> {
  const c = new Crc64();
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) c.update(chunk as Buffer);
  return c.digest();
}

/** A script that the kernel would run through a shebang line ending in CR fails with "bad interpreter"; a bootstrap
 * that is neither a script nor an ELF binary cannot be exec'd at all. */
function crlfProblem(f: SourceFile, head: Buffer, custom: boolean): string | undefined {
  const isBootstrap = custom && f.path === 'bootstrap';
  const shebang = head.length >= 2 && head[0] === 0x23 && head[1] === 0x21;
  if (isBootstrap && !shebang && !head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
    return `bootstrap has no #! line and is not a Linux executable, so FC cannot start it. Make its first line an interpreter, e.g. #!/bin/bash`;
  }
  if (!isBootstrap && !(shebang && f.mode & 0o111)) return undefined;
  const nl = head.indexOf(0x0a);
  const crlf = isBootstrap ? head.includes('\r\n') : nl > 0 && head[nl - 1] === 0x0d;
  if (!crlf) return undefined;
  return `${f.path} has Windows (CRLF) line endings, so it cannot run on Linux ("bad interpreter"). Convert it: sed -i 's/\\r$//' ${f.path}  (or set your editor/git to LF: git config core.autocrlf input)`;
}

/** A file that vanished, changed or cannot be read between listing and zipping: say which and what to do. */
function readFailure(err: unknown, opts: PackageOptions): unknown {
  if (err instanceof FcxError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e && (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EISDIR' || /changed while/.test(e.message ?? ''))) {
    return new FcxError(`Cannot package ${opts.name}: ${e.message}.`, {
      exitCode: e.code === 'EACCES' || e.code === 'EPERM' ? ExitCode.usage : ExitCode.failure,
      hint: e.code === 'EACCES' || e.code === 'EPERM' ? 'Make the file readable (chmod a+r FILE) or list it in .fcignore.' : 'A file changed or disappeared while it was being packaged (a build or editor still writing?). Run the command again.',
      cause: err,
    });
  }
  return err;
}

export async function packageFunction(opts: PackageOptions): Promise<FunctionPackage> {
  checkSource(opts);
  if (isZipSource(opts.source)) {
    const files = await zipSourceFiles(opts);
    opts.onProgress?.(`Using ${opts.source} as is (${files.length} files)`);
    const size = (await fsp.stat(opts.source)).size;
    return { zipPath: opts.source, size, checksum: await crc64OfFile(opts.source), files };
  }
  const files = await collectFiles(opts);
  await fsp.mkdir(opts.buildDir, { recursive: true });
  const zipPath = join(opts.buildDir, `${opts.name}.zip`);
  const tmpPath = `${zipPath}.tmp-${process.pid}`;
  opts.onProgress?.(`Packaging ${files.length} ${files.length === 1 ? "file" : "files"} from ${opts.source}`);
  const custom = isCustom(opts.runtime);
  const crlf: string[] = [];
  let result;
  try {
    result = await writeZip(tmpPath, files, {
      tmpDir: dirname(tmpPath),
      inspect: (f, head) => {
        if ((f as SourceFile).fromDeps) return; // dependencies are not the developer's scripts
        const p = crlfProblem(f, head, custom);
        if (p) crlf.push(p);
      },
    });
    if (crlf.length) {
      const onlyCrlf = crlf.every((m) => m.includes('CRLF'));
      throw new FcxError(`Cannot package ${opts.name}: ${crlf.length === 1 ? 'a script' : `${crlf.length} scripts`} cannot run on Linux.`, {
        exitCode: ExitCode.usage,
        details: crlf.sort(),
        hint: onlyCrlf ? "Convert the files to LF line endings (sed -i 's/\\r$//' FILE) and run the command again." : 'Fix the files above and run the command again.',
      });
    }
    await fsp.rename(tmpPath, zipPath);
  } catch (err) {
    await fsp.rm(tmpPath, { force: true }).catch(() => undefined);
    throw readFailure(err, opts);
  }
  opts.onProgress?.(`Packaged ${opts.name}: ${files.length} files, ${result.size} bytes`);
  return {
    zipPath,
    size: result.size,
    checksum: result.checksum,
    files: result.entries.map((e) => ({ path: e.path, size: e.size, mode: e.mode })),
  };
}
