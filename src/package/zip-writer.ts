// Streams a deterministic zip to disk. Files are read and deflated ahead of the writer in parallel (zlib's async
// API runs on the libuv thread pool, so both cores work) but written strictly in sorted order; CRC-64 of the
// output is computed as it is written. Memory stays bounded: a window of at most AHEAD_BYTES of prepared small
// files, and files larger than BIG_FILE are streamed (deflated once into a temp file, then copied).
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Crc64 } from '../core/crc64';
import { centralHeader, endOfCentralDirectory, isPrecompressed, localHeader, METHOD_DEFLATE, METHOD_STORE, type EntryHeader } from './zip-format';

const deflateRaw = promisify(zlib.deflateRaw);
/** Fixed so the bytes never depend on the machine (same Node/zlib version → same archive). */
export const DEFLATE_LEVEL = 6;
const BIG_FILE = 16 * 1024 * 1024;
const AHEAD_BYTES = 48 * 1024 * 1024;
const AHEAD_COUNT = 256;

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
  /** Called with the first bytes of each file (up to 64 KiB) before it is written, e.g. to catch CRLF scripts. */
  inspect?: (file: ZipInputFile, head: Buffer) => void;
  /** Folder for temp files of big entries. */
  tmpDir: string;
}

interface Prepared {
  header: EntryHeader;
  /** In-memory payload, or a file to copy (a temp deflate output or the source itself). */
  data?: Buffer;
  dataFile?: { path: string; temp: boolean };
}

/** Buffered sequential writer that also tracks the offset and the CRC-64 of everything written. */
class Sink {
  offset = 0;
  readonly crc = new Crc64();
  private chunks: Buffer[] = [];
  private pending = 0;
  constructor(private readonly fh: fsp.FileHandle) {}

  async write(buf: Buffer): Promise<void> {
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
    const all = Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    await this.fh.write(all);
  }
}

async function prepareSmall(f: ZipInputFile, name: Buffer, opts: ZipWriteOptions): Promise<Prepared> {
  const data = await fsp.readFile(f.absPath);
  opts.inspect?.(f, data.subarray(0, 65536));
  const crc32 = zlib.crc32(data);
  let method = METHOD_STORE;
  let payload = data;
  if (data.length > 0 && !isPrecompressed(f.path)) {
    const deflated = await deflateRaw(data, { level: DEFLATE_LEVEL });
    if (deflated.length < data.length) {
      method = METHOD_DEFLATE;
      payload = deflated;
    }
  }
  return { header: { name, method, crc32, compressedSize: payload.length, size: data.length, mode: f.mode }, data: payload };
}

async function prepareBig(f: ZipInputFile, name: Buffer, opts: ZipWriteOptions, seq: number): Promise<Prepared> {
  let crc32 = 0;
  let size = 0;
  let first = true;
  const measure = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (first) {
        first = false;
        try {
          opts.inspect?.(f, chunk.subarray(0, 65536));
        } catch (err) {
          cb(err as Error);
          return;
        }
      }
      crc32 = zlib.crc32(chunk, crc32);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  if (isPrecompressed(f.path)) {
    await pipeline(createReadStream(f.absPath), measure, async function* (src) {
      for await (const _ of src) void _;
    });
    return { header: { name, method: METHOD_STORE, crc32, compressedSize: size, size, mode: f.mode }, dataFile: { path: f.absPath, temp: false } };
  }
  const tmp = `${opts.tmpDir}/.fcx-zip-${process.pid}-${seq}.deflate`;
  await pipeline(createReadStream(f.absPath), measure, zlib.createDeflateRaw({ level: DEFLATE_LEVEL }), createWriteStream(tmp));
  const csize = (await fsp.stat(tmp)).size;
  if (csize >= size) {
    await fsp.rm(tmp, { force: true });
    return { header: { name, method: METHOD_STORE, crc32, compressedSize: size, size, mode: f.mode }, dataFile: { path: f.absPath, temp: false } };
  }
  return { header: { name, method: METHOD_DEFLATE, crc32, compressedSize: csize, size, mode: f.mode }, dataFile: { path: tmp, temp: true } };
}

async function copyFileInto(sink: Sink, path: string, expected: number): Promise<void> {
  let n = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    n += (chunk as Buffer).length;
    await sink.write(chunk as Buffer);
  }
  if (n !== expected) throw new Error(`${path} changed while it was being packaged; run the command again`);
}

/** Writes `files` (already sorted) as a zip at outPath. */
export async function writeZip(outPath: string, files: ZipInputFile[], opts: ZipWriteOptions): Promise<ZipResult> {
  const fh = await fsp.open(outPath, 'w');
  const sink = new Sink(fh);
  const central: Buffer[] = [];
  const entries: ZipResult['entries'] = [];
  const names = files.map((f) => Buffer.from(f.path, 'utf8'));
  const started: Array<Promise<Prepared> | undefined> = new Array(files.length);
  let next = 0;
  let aheadBytes = 0;
  const isBig = (i: number): boolean => files[i].size > BIG_FILE;
  const start = (i: number): void => {
    const p = isBig(i) ? prepareBig(files[i], names[i], opts, i) : prepareSmall(files[i], names[i], opts);
    p.catch(() => undefined); // awaited in order below; avoid an unhandled rejection while it waits its turn
    started[i] = p;
  };
  const fill = (current: number): void => {
    while (next < files.length && next - current < AHEAD_COUNT && (aheadBytes < AHEAD_BYTES || next === current)) {
      if (isBig(next) && next !== current) break; // big files are handled one at a time, when their turn comes
      if (!isBig(next)) aheadBytes += files[next].size;
      start(next);
      next++;
    }
  };
  const tempFiles: string[] = [];
  try {
    for (let i = 0; i < files.length; i++) {
      fill(i);
      const prep = await started[i]!;
      started[i] = undefined;
      if (!isBig(i)) aheadBytes -= files[i].size;
      const offset = sink.offset;
      await sink.write(localHeader(prep.header));
      if (prep.data) await sink.write(prep.data);
      else if (prep.dataFile) {
        if (prep.dataFile.temp) tempFiles.push(prep.dataFile.path);
        await copyFileInto(sink, prep.dataFile.path, prep.header.compressedSize);
        if (prep.dataFile.temp) await fsp.rm(prep.dataFile.path, { force: true });
      }
      central.push(centralHeader(prep.header, offset));
      entries.push({ path: files[i].path, size: prep.header.size, mode: prep.header.mode });
    }
    const cdOffset = sink.offset;
    for (const c of central) await sink.write(c);
    const cdSize = sink.offset - cdOffset;
    await sink.write(endOfCentralDirectory(files.length, cdOffset, cdSize));
    await sink.flush();
  } catch (err) {
    // Let in-flight reads settle before the caller removes things.
    await Promise.allSettled(started.filter(Boolean) as Promise<Prepared>[]);
    throw err;
  } finally {
    await fh.close();
    for (const t of tempFiles) await fsp.rm(t, { force: true }).catch(() => undefined);
  }
  return { size: sink.offset, checksum: sink.crc.digest(), entries };
}
