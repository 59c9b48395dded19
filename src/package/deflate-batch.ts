// Reading, CRC-32 and deflate of a batch of small files, synchronously: run inside a worker thread (so several
// batches compress on several cores) or inline for small packages. zlib's one-shot async API costs ~140 µs per
// call in stream machinery, against ~15 µs for a sync call, so per-file async deflate is the slow way.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as zlib from 'node:zlib';

/** Fixed so the bytes never depend on the machine (same Node/zlib version → same archive). */
export const DEFLATE_LEVEL = 6;
export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;
/** How many leading bytes of each file come back for inspection (shebang and CRLF checks). */
export const HEAD_BYTES = 512;

/**
 * Random-looking data (encrypted, compressed formats with unknown extensions) is not worth deflating: a cheap
 * level-1 trial on the first 16 KiB decides. It depends only on the bytes, so the archive stays reproducible.
 */
const SNIFF_BYTES = 16 * 1024;
export function looksIncompressible(head: Uint8Array): boolean {
  if (head.length < SNIFF_BYTES) return false;
  const trial = zlib.deflateRawSync(head.subarray(0, SNIFF_BYTES), { level: 1 });
  return trial.length > SNIFF_BYTES * 0.97;
}

export interface BatchFile {
  absPath: string;
  /** Store without trying deflate (already-compressed formats). */
  store: boolean;
}

export interface BatchResult {
  size: number;
  crc32: number;
  method: number;
  data: Uint8Array;
  head: Uint8Array;
}

export interface BatchError {
  absPath: string;
  message: string;
  code?: string;
}

// One scratch buffer per thread for reading: raw file bytes never become garbage that waits for a GC (with
// thousands of files that garbage, not the data in flight, is what drives peak memory).
let scratch = Buffer.allocUnsafeSlow(1024 * 1024);

function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (scratch.length < size + 1) scratch = Buffer.allocUnsafeSlow(Math.max(size + 1, scratch.length * 2));
    let n = 0;
    for (;;) {
      if (n === scratch.length) {
        const bigger = Buffer.allocUnsafeSlow(scratch.length * 2);
        scratch.copy(bigger, 0, 0, n);
        scratch = bigger;
      }
      const r = readSync(fd, scratch, n, scratch.length - n, null);
      if (r === 0) break;
      n += r;
    }
    return scratch.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Reads, checksums and compresses one file. `data` and `head` own their memory (safe to transfer). */
export function processFile(f: BatchFile): BatchResult {
  const raw = readWhole(f.absPath);
  const crc32 = zlib.crc32(raw);
  const head = new Uint8Array(raw.subarray(0, HEAD_BYTES));
  if (raw.length > 0 && !f.store && !looksIncompressible(raw)) {
    const deflated = zlib.deflateRawSync(raw, { level: DEFLATE_LEVEL });
    if (deflated.length < raw.length) return { size: raw.length, crc32, method: METHOD_DEFLATE, data: deflated, head };
  }
  return { size: raw.length, crc32, method: METHOD_STORE, data: new Uint8Array(raw), head };
}

export function processBatch(files: BatchFile[]): BatchResult[] {
  return files.map(processFile);
}
