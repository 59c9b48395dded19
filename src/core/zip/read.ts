// Reads zip archives: the central directory (names, sizes, modes, where each entry's bytes are) and the bytes of
// an entry (store and deflate; Zip64). One parser serves a zip on disk, of which only the end and the central
// directory are read (packaging a .zip source, which may be large), and a zip in memory (the emulator unpacking
// deployed code, without an unzip dependency). Unix modes come from the external attributes, so `bootstrap`
// stays executable and symlinks stay symlinks. The writer is src/package/zip-format.ts.
import { promises as fsp } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  path: string; // as stored, '/'-separated
  size: number;
  compressedSize: number;
  method: number;
  crc32: number;
  /** Permission bits (0o7777) when the zip was made on Unix and stores them, else undefined. */
  unixMode: number | undefined;
  /** `unixMode`, else 0o644 for files and 0o755 for folders. */
  mode: number;
  isDirectory: boolean;
  isSymlink: boolean;
  localOffset: number;
  externalAttributes: number;
  madeBy: number;
  dosTime: number;
  dosDate: number;
  extraLength: number;
}

export class ZipFormatError extends Error {}

const EOCD_SIG = 0x06054b50;
const EOCD_LEN = 22;
const MAX_COMMENT_LEN = 0xffff;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_LOCATOR_LEN = 20;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_EOCD_LEN = 56;
const CENTRAL_SIG = 0x02014b50;
const CENTRAL_LEN = 46;
const LOCAL_SIG = 0x04034b50;
const LOCAL_LEN = 30;
const ZIP64_EXTRA_ID = 0x0001;
const MAX32 = 0xffffffff;
const MADE_BY_UNIX = 3;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

/** `len` bytes at `pos` (fewer where the zip ends). */
interface ByteRange {
  pos: number;
  len: number;
}

/**
 * The central directory of a zip of `size` bytes. Written once for both sources: it yields the byte ranges it
 * needs and is resumed with their bytes, so it runs synchronously over a Buffer and asynchronously over a file.
 */
function* centralDirectory(size: number): Generator<ByteRange, ZipEntry[], Buffer> {
  // The end of central directory record closes the zip, followed only by a comment of up to 65535 bytes.
  const tailLen = Math.min(size, EOCD_LEN + MAX_COMMENT_LEN);
  const tail = yield { pos: size - tailLen, len: tailLen };
  let eocd = -1;
  for (let i = tail.length - EOCD_LEN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a zip file (no end of central directory record)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  // Zip64: a locator right before that record points at the record with the 64-bit count, size and offset.
  const eocdPos = size - tailLen + eocd;
  if (eocdPos >= ZIP64_LOCATOR_LEN) {
    const loc = yield { pos: eocdPos - ZIP64_LOCATOR_LEN, len: ZIP64_LOCATOR_LEN };
    if (loc.readUInt32LE(0) === ZIP64_LOCATOR_SIG) {
      const rec = yield { pos: Number(loc.readBigUInt64LE(8)), len: ZIP64_EOCD_LEN };
      if (rec.length < ZIP64_EOCD_LEN || rec.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new ZipFormatError('broken Zip64 end of central directory record');
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
  }
  if (cdOffset + cdSize > size) throw new ZipFormatError('the central directory lies beyond the end of the file');
  return parseCentralDirectory(yield { pos: cdOffset, len: cdSize }, count);
}

function parseCentralDirectory(cd: Buffer, count: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + CENTRAL_LEN > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIG) throw new ZipFormatError(`central directory entry ${n} is broken`);
    const madeBy = cd.readUInt16LE(p + 4);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const dosTime = cd.readUInt16LE(p + 12);
    const dosDate = cd.readUInt16LE(p + 14);
    const crc32 = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const external = cd.readUInt32LE(p + 38);
    let localOffset = cd.readUInt32LE(p + 42);
    const nameStart = p + CENTRAL_LEN;
    const extraEnd = nameStart + nameLen + extraLen;
    if (extraEnd > cd.length) throw new ZipFormatError(`central directory entry ${n} is broken`);
    const path = cd.toString(flags & 0x0800 ? 'utf8' : 'latin1', nameStart, nameStart + nameLen);
    // Zip64 extended information: only the fields stored as 0xFFFFFFFF, in this order.
    for (let e = nameStart + nameLen; e + 4 <= extraEnd; e += 4 + cd.readUInt16LE(e + 2)) {
      if (cd.readUInt16LE(e) !== ZIP64_EXTRA_ID) continue;
      let q = e + 4;
      if (size === MAX32) (size = Number(cd.readBigUInt64LE(q))), (q += 8);
      if (compressedSize === MAX32) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
      if (localOffset === MAX32) localOffset = Number(cd.readBigUInt64LE(q));
    }
    p = extraEnd + commentLen;

    const unix = madeBy >> 8 === MADE_BY_UNIX;
    const fileType = unix ? (external >>> 16) & S_IFMT : 0;
    const unixMode = (unix && (external >>> 16) & 0o7777) || undefined;
    const isDirectory = path.endsWith('/') || fileType === S_IFDIR || (!unix && (external & DOS_DIRECTORY) !== 0);
    entries.push({
      path,
      size,
      compressedSize,
      method,
      crc32,
      unixMode,
      mode: unixMode ?? (isDirectory ? 0o755 : 0o644),
      isDirectory,
      isSymlink: fileType === S_IFLNK,
      localOffset,
      externalAttributes: external >>> 0,
      madeBy,
      dosTime,
      dosDate,
      extraLength: extraLen,
    });
  }
  return entries;
}

/** The entries of a zip in memory. */
export function readZip(zip: Buffer): ZipEntry[] {
  const parser = centralDirectory(zip.length);
  let step = parser.next();
  while (!step.done) step = parser.next(zip.subarray(step.value.pos, step.value.pos + step.value.len));
  return step.value;
}

/** The entries of a zip file, reading only its end and its central directory. */
export async function readZipEntries(zipPath: string): Promise<ZipEntry[]> {
  const fh = await fsp.open(zipPath, 'r');
  try {
    const parser = centralDirectory((await fh.stat()).size);
    let step = parser.next();
    while (!step.done) {
      const b = Buffer.alloc(step.value.len);
      const { bytesRead } = await fh.read(b, 0, b.length, step.value.pos);
      step = parser.next(b.subarray(0, bytesRead));
    }
    return step.value;
  } finally {
    await fh.close();
  }
}

/** The uncompressed bytes of one entry of a zip in memory. */
export function readEntryData(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localOffset;
  if (at + LOCAL_LEN > zip.length || zip.readUInt32LE(at) !== LOCAL_SIG) throw new ZipFormatError(`corrupt local header for ${entry.path}`);
  const start = at + LOCAL_LEN + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data); // stored
  if (entry.method === 8) return inflateRawSync(data); // deflated
  throw new ZipFormatError(`${entry.path}: unsupported compression method ${entry.method} (only store and deflate)`);
}
