// Streams a deterministic zip to disk. Small files are read, CRC'd and deflated in batches on worker threads
// (one per core), big files are streamed through zlib (deflated once into a temp file, then copied); everything
// is written strictly in sorted order and the CRC-64 of the output is computed as it is written. Memory stays
// bounded by a window of at most AHEAD_BYTES of files in flight.
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { Crc64 } from '../core/crc64';
import { DEFLATE_LEVEL, HEAD_BYTES, looksIncompressible, processBatch, type BatchFile, type BatchResult } from './deflate-batch';
import { acquirePool, releasePool } from './deflate-pool';
import { centralHeader, endOfCentralDirectory, isPrecompressed, localHeader, METHOD_DEFLATE, METHOD_STORE, type EntryHeader } from './zip-format';

export { DEFLATE_LEVEL };
const BIG_FILE = 16 * 1024 * 1024;
const AHEAD_BYTES = 16 * 1024 * 1024;
const AHEAD_UNITS = 12;
const BATCH_FILES = 64;
const BATCH_BYTES = 1024 * 1024;
/** Below this, starting worker threads costs more than it saves. */
const INLINE_MAX_BYTES = 4 * 1024 * 1024;
const INLINE_MAX_FILES = 400;

export interface ZipInputFile {
  path: string;
  absPath: string;
  size: number;
  mode: number;
}

export interface ZipResult {
  size: number;
  checksum: string; // CRC-64/XZ, decimal
  entries: Array<{ path: string; size: number; mode: number }>;
}

export interface ZipWriteOptions {
  /** Called with the first bytes of each file (up to HEAD_BYTES) before it is written, e.g. to catch CRLF scripts. */
  inspect?: (file: ZipInputFile, head: Buffer) => void;
  /** Folder for temp files of big entries. */
  tmpDir: string;
}

interface Prepared {
  header: EntryHeader;
  head: Buffer;
  /** In-memory payload, or a file to copy (a temp deflate output or the source itself). */
  data?: Uint8Array;
  dataFile?: { path: string; temp: boolean };
}

/** Buffered sequential writer that also tracks the offset and the CRC-64 of everything written. */
class Sink {
  offset = 0;
  readonly crc = new Crc64();
  private chunks: Uint8Array[] = [];
  private pending = 0;
  constructor(private readonly fh: fsp.FileHandle) {}

  async write(buf: Uint8Array): Promise<void> {
    this.crc.update(buf);
    this.offset += buf.length;
    if (buf.length >= 256 * 1024) {
      await this.flush();
      await this.fh.write(buf);
      return;
    }
    this.chunks.push(buf);
    this.pending += buf.length;
    if (this.pending >= 1024 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pending) return;
    // writev: no concatenated copy (big temporary buffers are what grows the heap of a long packaging run).
    const chunks = this.chunks;
    this.chunks = [];
    this.pending = 0;
    for (let i = 0; i < chunks.length; i += 512) await this.fh.writev(chunks.slice(i, i + 512));
  }
}

async function prepareBig(f: ZipInputFile, name: Buffer, opts: ZipWriteOptions, seq: number): Promise<Prepared> {
  let crc32 = 0;
  let size = 0;
  let head = Buffer.alloc(0);
  const measure = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (size === 0) head = Buffer.from(chunk.subarray(0, HEAD_BYTES));
      crc32 = zlib.crc32(chunk, crc32);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const sniff = Buffer.alloc(16 * 1024);
  const sfh = await fsp.open(f.absPath, 'r');
  let sniffed: Buffer;
  try {
    sniffed = sniff.subarray(0, (await sfh.read(sniff, 0, sniff.length, 0)).bytesRead);
  } finally {
    await sfh.close();
  }
  if (isPrecompressed(f.path) || looksIncompressible(sniffed)) {
    await pipeline(createReadStream(f.absPath), measure, async function* (src) {
      for await (const _ of src) void _;
    });
    return { header: { name, method: METHOD_STORE, crc32, compressedSize: size, size, mode: f.mode }, head, dataFile: { path: f.absPath, temp: false } };
  }
  const tmp = `${opts.tmpDir}/.fcx-zip-${process.pid}-${randomBytes(6).toString('hex')}-${seq}.deflate`;
  try {
    await pipeline(createReadStream(f.absPath), measure, zlib.createDeflateRaw({ level: DEFLATE_LEVEL }), createWriteStream(tmp));
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  const csize = (await fsp.stat(tmp)).size;
  if (csize >= size) {
    await fsp.rm(tmp, { force: true });
    return { header: { name, method: METHOD_STORE, crc32, compressedSize: size, size, mode: f.mode }, head, dataFile: { path: f.absPath, temp: false } };
  }
  return { header: { name, method: METHOD_DEFLATE, crc32, compressedSize: csize, size, mode: f.mode }, head, dataFile: { path: tmp, temp: true } };
}

async function copyFileInto(sink: Sink, path: string, expected: number): Promise<void> {
  let n = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    n += (chunk as Buffer).length;
    await sink.write(chunk as Buffer);
  }
  if (n !== expected) throw new Error(`${path} changed while it was being packaged; run the command again`);
}

interface Unit {
  first: number; // index of the first file
  count: number;
  bytes: number;
  big: boolean;
}

/** Consecutive small files grouped into batches; each big file is a unit of its own. */
function planUnits(files: ZipInputFile[]): Unit[] {
  const units: Unit[] = [];
  let cur: Unit | undefined;
  files.forEach((f, i) => {
    if (f.size > BIG_FILE) {
      cur = undefined;
      units.push({ first: i, count: 1, bytes: f.size, big: true });
      return;
    }
    if (!cur || cur.count >= BATCH_FILES || cur.bytes + f.size > BATCH_BYTES) {
      cur = { first: i, count: 0, bytes: 0, big: false };
      units.push(cur);
    }
    cur.count++;
    cur.bytes += f.size;
  });
  return units;
}

/** Writes `files` (already sorted) as a zip at outPath. */
export async function writeZip(outPath: string, files: ZipInputFile[], opts: ZipWriteOptions): Promise<ZipResult> {
  const names = files.map((f) => Buffer.from(f.path, 'utf8'));
  const units = planUnits(files);
  const smallBytes = units.reduce((n, u) => n + (u.big ? 0 : u.bytes), 0);
  const smallCount = units.reduce((n, u) => n + (u.big ? 0 : u.count), 0);
  const fh = await fsp.open(outPath, 'w');
  const pool = smallBytes > INLINE_MAX_BYTES || smallCount > INLINE_MAX_FILES ? acquirePool() : undefined;

  const toPrepared = (u: Unit, results: BatchResult[]): Prepared[] =>
    results.map((r, k) => {
      const f = files[u.first + k];
      const data = Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
      return {
        header: { name: names[u.first + k], method: r.method, crc32: r.crc32, compressedSize: data.length, size: r.size, mode: f.mode },
        head: Buffer.from(r.head.buffer, r.head.byteOffset, r.head.byteLength),
        data,
      };
    });
  const startUnit = (u: Unit): Promise<Prepared[]> => {
    if (u.big) return prepareBig(files[u.first], names[u.first], opts, u.first).then((p) => [p]);
    const batch: BatchFile[] = files.slice(u.first, u.first + u.count).map((f) => ({ absPath: f.absPath, store: isPrecompressed(f.path) }));
    if (pool) return pool.run(batch).then((r) => toPrepared(u, r));
    try {
      return Promise.resolve(toPrepared(u, processBatch(batch)));
    } catch (err) {
      return Promise.reject(err);
    }
  };

  const sink = new Sink(fh);
  const central: Buffer[] = [];
  const entries: ZipResult['entries'] = [];
  const started: Array<Promise<Prepared[]> | undefined> = new Array(units.length);
  let next = 0;
  let aheadBytes = 0;
  const fill = (current: number): void => {
    while (next < units.length && next - current < AHEAD_UNITS && (aheadBytes < AHEAD_BYTES || next === current)) {
      const u = units[next];
      if (u.big && next !== current) break; // big files are streamed one at a time, when their turn comes
      if (!u.big) aheadBytes += u.bytes;
      const p = startUnit(u);
      p.catch(() => undefined); // awaited in order below; no unhandled rejection while it waits its turn
      started[next] = p;
      next++;
    }
  };
  try {
    for (let ui = 0; ui < units.length; ui++) {
      fill(ui);
      const u = units[ui];
      const prepared = await started[ui]!;
      started[ui] = undefined;
      if (!u.big) aheadBytes -= u.bytes;
      for (let k = 0; k < prepared.length; k++) {
        const prep = prepared[k];
        const f = files[u.first + k];
        opts.inspect?.(f, prep.head);
        const offset = sink.offset;
        await sink.write(localHeader(prep.header));
        if (prep.data) await sink.write(prep.data);
        else if (prep.dataFile) {
          try {
            await copyFileInto(sink, prep.dataFile.path, prep.header.compressedSize);
          } finally {
            if (prep.dataFile.temp) await fsp.rm(prep.dataFile.path, { force: true });
          }
        }
        central.push(centralHeader(prep.header, offset));
        entries.push({ path: f.path, size: prep.header.size, mode: prep.header.mode });
      }
    }
    const cdOffset = sink.offset;
    for (const c of central) await sink.write(c);
    const cdSize = sink.offset - cdOffset;
    await sink.write(endOfCentralDirectory(files.length, cdOffset, cdSize));
    await sink.flush();
  } catch (err) {
    // Let in-flight work settle before the caller removes things.
    await Promise.allSettled(started.filter(Boolean) as Promise<Prepared[]>[]);
    throw err;
  } finally {
    await fh.close();
    if (pool) await releasePool();
  }
  return { size: sink.offset, checksum: sink.crc.digest(), entries };
}
