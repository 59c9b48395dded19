// Durable state for the emulator (the Store interface of types.ts), kept in a folder a person can open:
//   DATA/state/<collection>.json   snapshot, one pretty JSON object per collection (key → document)
//   DATA/journal.jsonl             every write since the snapshot, one JSON line each, fsync'd before returning
//   DATA/blobs/<encoded id>        code zips, OSS objects: written to a temp file, fsync'd, then renamed
// A write is acknowledged only once it is on disk, so a kill -9 (or power loss) loses nothing acknowledged.
// At start-up the journal is replayed over the snapshot (a torn last line from a crash is ignored), the result
// is written as the new snapshot and the journal is emptied. Replaying a journal twice gives the same state, so a
// crash during compaction is harmless too.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FcxError } from '../core/errors';
import type { Store } from './types';

type Op = { op: 'put'; c: string; k: string; v: unknown } | { op: 'del'; c: string; k: string };

/** Journal size that triggers a compaction while running (start-up always compacts). */
const COMPACT_BYTES = 64 * 1024 * 1024;

export class FileStore implements Store {
  private readonly collections = new Map<string, Map<string, unknown>>();
  private readonly stateDir: string;
  private readonly blobDir: string;
  private readonly journalPath: string;
  private journalFd = -1;
  private journalBytes = 0;

  constructor(readonly dataDir: string) {
    this.stateDir = join(dataDir, 'state');
    this.blobDir = join(dataDir, 'blobs');
    this.journalPath = join(dataDir, 'journal.jsonl');
    mkdirSync(this.stateDir, { recursive: true });
    mkdirSync(this.blobDir, { recursive: true });
    this.load();
    this.compact();
  }

  get<T>(collection: string, key: string): T | undefined {
    const v = this.collections.get(collection)?.get(key);
    return v === undefined ? undefined : (clone(v) as T);
  }

  put<T>(collection: string, key: string, value: T): void {
    const v = clone(value);
    this.append({ op: 'put', c: collection, k: key, v });
    this.coll(collection).set(key, v);
  }

  delete(collection: string, key: string): boolean {
    const c = this.collections.get(collection);
    if (!c || !c.has(key)) return false;
    this.append({ op: 'del', c: collection, k: key });
    c.delete(key);
    return true;
  }

  list<T>(collection: string, prefix = ''): Array<[string, T]> {
    const c = this.collections.get(collection);
    if (!c) return [];
    const out: Array<[string, T]> = [];
    for (const [k, v] of c) if (k.startsWith(prefix)) out.push([k, clone(v) as T]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  writeBlob(id: string, data: Buffer): void {
    const final = this.blobPath(id);
    const tmp = join(this.blobDir, `.tmp-${randomBytes(6).toString('hex')}`);
    writeDurable(tmp, final, data);
    fsyncDir(this.blobDir);
  }

  readBlob(id: string): Buffer {
    return readFileSync(this.blobPath(id));
  }

  blobPath(id: string): string {
    return join(this.blobDir, blobFileName(id));
  }

  hasBlob(id: string): boolean {
    return existsSync(this.blobPath(id));
  }

  deleteBlob(id: string): void {
    rmSync(this.blobPath(id), { force: true });
  }

  reset(): void {
    this.collections.clear();
    rmSync(this.blobDir, { recursive: true, force: true });
    mkdirSync(this.blobDir, { recursive: true });
    this.compact();
  }

  close(): void {
    if (this.journalFd >= 0) closeSync(this.journalFd);
    this.journalFd = -1;
  }

  private coll(name: string): Map<string, unknown> {
    let c = this.collections.get(name);
    if (!c) this.collections.set(name, (c = new Map()));
    return c;
  }

  private append(op: Op): void {
    if (this.journalFd < 0) throw new Error('the emulator store is closed');
    const line = Buffer.from(JSON.stringify(op) + '\n');
    let off = 0;
    while (off < line.length) off += writeSync(this.journalFd, line, off, line.length - off);
    fsyncSync(this.journalFd);
    this.journalBytes += line.length;
    if (this.journalBytes > COMPACT_BYTES) this.compact();
  }

  private load(): void {
    for (const name of readdirSync(this.stateDir)) {
      if (!name.endsWith('.json')) continue;
      const collection = decodeURIComponent(name.slice(0, -5));
      const doc = readStateFile(join(this.stateDir, name), this.dataDir);
      const c = this.coll(collection);
      for (const [k, v] of Object.entries(doc)) c.set(k, v);
    }
    if (!existsSync(this.journalPath)) return;
    const lines = readFileSync(this.journalPath, 'utf8').split('\n');
    for (const line of lines) {
      if (!line.trim()) continue;
      let op: Op;
      try {
        op = JSON.parse(line);
      } catch {
        continue; // a torn write from a crash: it was never acknowledged
      }
      if (op.op === 'put') this.coll(op.c).set(op.k, op.v);
      else if (op.op === 'del') this.collections.get(op.c)?.delete(op.k);
    }
  }

  /** Writes every collection as its snapshot file, then empties the journal. */
  private compact(): void {
    if (this.journalFd >= 0) closeSync(this.journalFd);
    const keep = new Set<string>();
    for (const [name, c] of this.collections) {
      if (c.size === 0) continue;
      const file = encodeURIComponent(name) + '.json';
      keep.add(file);
      const doc: Record<string, unknown> = {};
      for (const k of [...c.keys()].sort()) doc[k] = c.get(k);
      writeFileDurable(join(this.stateDir, file), JSON.stringify(doc, null, 2) + '\n');
    }
    for (const name of readdirSync(this.stateDir)) if (!keep.has(name)) rmSync(join(this.stateDir, name), { force: true });
    fsyncDir(this.stateDir);
    this.journalFd = openSync(this.journalPath, 'w');
    fsyncSync(this.journalFd);
    fsyncDir(this.dataDir);
    this.journalBytes = 0;
    // Temp files of blob writes interrupted by a crash.
    for (const name of readdirSync(this.blobDir)) if (name.startsWith('.tmp-')) unlinkSafe(join(this.blobDir, name));
  }
}

/** One snapshot file; a damaged one names itself and what to do (the emulator cannot guess what it held). */
function readStateFile(path: string, dataDir: string): Record<string, unknown> {
  let problem: string;
  try {
    const doc: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
    problem = 'does not hold a JSON object';
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    problem = `is not valid JSON (${e.message})`;
  }
  throw new FcxError(`the emulator state file ${path} ${problem}, so the emulator cannot load its state`, {
    hint: `move that file out of ${join(dataDir, 'state')} (the resources it listed are then gone), or start with a fresh --data-dir`,
  });
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

function blobFileName(id: string): string {
  const enc = encodeURIComponent(id).replace(/^\./, '%2E');
  if (enc.length <= 180) return enc;
  return `${createHash('sha256').update(id).digest('hex')}-${enc.slice(0, 60)}`;
}

/** Writes data to tmp, fsyncs it and renames it over path: readers see the old file or the whole new one. */
function writeDurable(tmp: string, path: string, data: Buffer): void {
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function writeFileDurable(path: string, text: string): void {
  writeDurable(`${path}.tmp`, path, Buffer.from(text));
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  }
}

function unlinkSafe(p: string): void {
  try {
    if (statSync(p).isFile()) unlinkSync(p);
  } catch {
    /* already gone */
  }
}
