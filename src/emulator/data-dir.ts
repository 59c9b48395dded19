// The emulator's data dir: created on start (a path that is a file is said plainly) and locked, so that a second
// emulator on the same folder cannot interleave journal writes. The lock is DATA/emulator.pid holding the owner's
// pid and, on Linux, its start time; an owner that is gone, a zombie (killed but not yet reaped), or a different
// process that got the same pid does not hold the lock.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FcxError, UsageError } from '../core/errors';

/** Creates the data dir; a path that is (or runs through) a file is the caller's mistake. */
export function prepareDataDir(dataDir: string): void {
  const hint = 'pass another --data-dir: a folder, or a path that does not exist yet';
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`the emulator data dir ${dataDir} is a file, not a folder`, hint);
    if (code === 'ENOTDIR') throw new UsageError(`the emulator data dir ${dataDir} cannot be created: part of that path is a file, not a folder`, hint);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new FcxError(`cannot create the emulator data dir ${dataDir}: ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'}`, { hint: 'pass a --data-dir you can write to', cause: e });
    }
    throw new FcxError(`cannot create the emulator data dir ${dataDir}: ${(e as Error).message}`, { hint, cause: e });
  }
  if (!statSync(dataDir).isDirectory()) throw new UsageError(`the emulator data dir ${dataDir} is not a folder`, hint);
}

/** Takes the data dir's lock; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const lock = join(dataDir, 'emulator.pid');
  let recorded: string[] = [];
  try {
    recorded = readFileSync(lock, 'utf8').trim().split(/\s+/);
  } catch {
    /* no lock yet */
  }
  const pid = Number(recorded[0]);
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && holdsLock(pid, recorded[1])) {
    throw new FcxError(`the data dir ${dataDir} is in use by another emulator (process ${pid})`, { hint: 'stop that emulator, or pass a different --data-dir' });
  }
  const started = processStartTime(process.pid);
  writeFileSync(lock, `${process.pid}\n${started ?? ''}\n`);
  return () => rmSync(lock, { force: true });
}

/** Whether process `pid` is alive and (when its start time was recorded) still the process that took the lock. */
export function holdsLock(pid: number, recordedStart: string | undefined): boolean {
  const stat = procStat(pid);
  if (stat) {
    if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return false; // dead, only not reaped yet
    if (recordedStart && stat.startTime !== recordedStart) return false; // the pid now belongs to another process
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** State letter and start time (clock ticks since boot) from /proc/<pid>/stat; undefined where /proc is not. */
function procStat(pid: number): { state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    // No such process under a /proc that works: it is gone. No /proc at all (macOS): undefined.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && procWorks()) return { state: 'X', startTime: '' };
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], startTime: fields[19] };
}

function processStartTime(pid: number): string | undefined {
  const stat = procStat(pid);
  return stat && stat.state !== 'X' ? stat.startTime : undefined;
}

let procChecked: boolean | undefined;
function procWorks(): boolean {
  if (procChecked === undefined) {
    try {
      procChecked = statSync(`/proc/${process.pid}/stat`).isFile();
    } catch {
      procChecked = false;
    }
  }
  return procChecked;
}
