// Deployed code is unpacked once per checksum into <workDir>/code/<checksum>/ and shared by every instance
// (and every function) with that code. Unpacking goes to a temporary folder that is renamed into place, so a
// crash mid-way never leaves a half-written code folder that looks complete.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { readEntryData, readZip } from '../../core/zip/read';

const inProgress = new Map<string, Promise<string>>();

export function codeDirFor(workDir: string, checksum: string): string {
  return join(workDir, 'code', checksum.replace(/[^A-Za-z0-9_.-]/g, '_'));
}

export function ensureCode(workDir: string, checksum: string, zipPath: string): Promise<string> {
  const dir = codeDirFor(workDir, checksum);
  if (existsSync(dir)) return Promise.resolve(dir);
  let p = inProgress.get(dir);
  if (!p) {
    p = Promise.resolve().then(() => {
      if (!existsSync(dir)) extractZip(readFileSync(zipPath), dir);
      return dir;
    });
    p.finally(() => inProgress.delete(dir)).catch(() => {});
    inProgress.set(dir, p);
  }
  return p;
}

/** Unpacks a zip into `dest` (which must not exist yet). Entries that would land outside it are refused. */
export function extractZip(zip: Buffer, dest: string): void {
  const tmp = `${dest}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const root = resolve(tmp);
    const dirModes: Array<[string, number]> = [];
    for (const entry of readZip(zip)) {
      const target = resolve(root, entry.path);
      if (target !== root && !target.startsWith(root + sep)) throw new Error(`zip entry "${entry.path}" points outside the code folder`);
      if (entry.isDirectory) {
        mkdirSync(target, { recursive: true });
        if (entry.unixMode) dirModes.push([target, entry.unixMode | 0o700]);
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      if (entry.isSymlink) {
        rmSync(target, { force: true });
        symlinkSync(readEntryData(zip, entry).toString('utf8'), target);
        continue;
      }
      writeFileSync(target, readEntryData(zip, entry));
      // Keep the owner able to read; otherwise keep the mode as packaged (bootstrap stays executable).
      chmodSync(target, entry.mode | 0o400);
    }
    for (const [d, m] of dirModes) chmodSync(d, m);
    try {
      renameSync(tmp, dest);
    } catch (err) {
      if (!existsSync(dest)) throw err; // someone else finished first: theirs is identical
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
