// Reading, CRC-32 and deflate of a batch of small files, synchronously: run inside a worker thread (so several
// batches compress on several cores) or inline for small packages. zlib's one-shot async API costs ~140 µs per
// call in stream machinery, against ~15 µs for a sync call, so per-file async deflate is the slow way.
import { readFileSync } from 'node:fs';
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

export function processFile(f: BatchFile): BatchResult {
  const raw = readFileSync(f.absPath);
  const crc32 = zlib.crc32(raw);
  let method = METHOD_STORE;
  let data: Uint8Array = raw;
  if (raw.length > 0 && !f.store && !looksIncompressible(raw)) {
    const deflated = zlib.deflateRawSync(raw, { level: DEFLATE_LEVEL });
    if (deflated.length < raw.length) {
      method = METHOD_DEFLATE;
      data = deflated;
    }
  }
  return { size: raw.length, crc32, method, data, head: raw.subarray(0, HEAD_BYTES) };
}

export function processBatch(files: BatchFile[]): BatchResult[] {
  return files.map(processFile);
}
