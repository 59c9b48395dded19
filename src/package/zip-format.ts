// The bytes of a zip, written so the same files always give the same archive: fixed DOS time 1980-01-01 00:00,
// "made by" Unix with the permission bits in the external attributes, no extra fields (except Zip64 when a size,
// offset or the entry count needs it), no comment, UTF-8 flag only for non-ASCII names.

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const MADE_BY_UNIX = (3 << 8) | 20;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const S_IFREG = 0o100000;

export interface EntryHeader {
  name: Buffer; // UTF-8 path
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  mode: number; // permission bits
}

function flagsFor(name: Buffer): number {
  for (const b of name) if (b >= 0x80) return 0x0800; // bit 11: name is UTF-8
  return 0;
}

function needsZip64(h: EntryHeader): boolean {
  return h.size >= MAX32 || h.compressedSize >= MAX32;
}

export function localHeader(h: EntryHeader): Buffer {
  const z64 = needsZip64(h);
  const extraLen = z64 ? 20 : 0;
  const b = Buffer.alloc(30 + h.name.length + extraLen);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(z64 ? 45 : 20, 4);
  b.writeUInt16LE(flagsFor(h.name), 6);
  b.writeUInt16LE(h.method, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  b.writeUInt32LE(h.crc32 >>> 0, 14);
  b.writeUInt32LE(z64 ? MAX32 : h.compressedSize, 18);
  b.writeUInt32LE(z64 ? MAX32 : h.size, 22);
  b.writeUInt16LE(h.name.length, 26);
  b.writeUInt16LE(extraLen, 28);
  h.name.copy(b, 30);
  if (z64) {
    const o = 30 + h.name.length;
    b.writeUInt16LE(0x0001, o);
    b.writeUInt16LE(16, o + 2);
    b.writeBigUInt64LE(BigInt(h.size), o + 4);
    b.writeBigUInt64LE(BigInt(h.compressedSize), o + 12);
  }
  return b;
}

export function centralHeader(h: EntryHeader, localOffset: number): Buffer {
  // Zip64 extra carries, in this order, only the fields that overflow.
  const extra: bigint[] = [];
  if (h.size >= MAX32) extra.push(BigInt(h.size));
  if (h.compressedSize >= MAX32) extra.push(BigInt(h.compressedSize));
  if (localOffset >= MAX32) extra.push(BigInt(localOffset));
  const extraLen = extra.length ? 4 + 8 * extra.length : 0;
  const b = Buffer.alloc(46 + h.name.length + extraLen);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(MADE_BY_UNIX, 4);
  b.writeUInt16LE(extra.length || needsZip64(h) ? 45 : 20, 6);
  b.writeUInt16LE(flagsFor(h.name), 8);
  b.writeUInt16LE(h.method, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(h.crc32 >>> 0, 16);
  b.writeUInt32LE(Math.min(h.compressedSize, MAX32), 20);
  b.writeUInt32LE(Math.min(h.size, MAX32), 24);
  b.writeUInt16LE(h.name.length, 28);
  b.writeUInt16LE(extraLen, 30);
  b.writeUInt16LE(0, 32); // comment
  b.writeUInt16LE(0, 34); // disk
  b.writeUInt16LE(0, 36); // internal attributes
  b.writeUInt32LE((((S_IFREG | (h.mode & 0o7777)) << 16) >>> 0) as number, 38);
  b.writeUInt32LE(Math.min(localOffset, MAX32), 42);
  h.name.copy(b, 46);
  if (extra.length) {
    let o = 46 + h.name.length;
    b.writeUInt16LE(0x0001, o);
    b.writeUInt16LE(8 * extra.length, o + 2);
    o += 4;
    for (const v of extra) {
      b.writeBigUInt64LE(v, o);
      o += 8;
    }
  }
  return b;
}

/** End of central directory, preceded by the Zip64 record and locator when counts or offsets overflow. */
export function endOfCentralDirectory(count: number, cdOffset: number, cdSize: number): Buffer {
  const z64 = count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
  const parts: Buffer[] = [];
  if (z64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4); // size of the rest of this record
    rec.writeUInt16LE(MADE_BY_UNIX & 0xff00 | 45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeUInt32LE(0, 16);
    rec.writeUInt32LE(0, 20);
    rec.writeBigUInt64LE(BigInt(count), 24);
    rec.writeBigUInt64LE(BigInt(count), 32);
    rec.writeBigUInt64LE(BigInt(cdSize), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeUInt32LE(0, 4);
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16);
    parts.push(rec, loc);
  }
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(0, 4);
  e.writeUInt16LE(0, 6);
  e.writeUInt16LE(Math.min(count, MAX16), 8);
  e.writeUInt16LE(Math.min(count, MAX16), 10);
  e.writeUInt32LE(Math.min(cdSize, MAX32), 12);
  e.writeUInt32LE(Math.min(cdOffset, MAX32), 16);
  e.writeUInt16LE(0, 20);
  parts.push(e);
  return Buffer.concat(parts);
}

/** Extensions whose content is already compressed: stored as-is (decided by name only, so still deterministic). */
const PRECOMPRESSED = new Set([
  '.zip', '.gz', '.tgz', '.bz2', '.xz', '.zst', '.7z', '.rar', '.jar', '.war', '.whl', '.egg', '.br',
  '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.ico', '.mp3', '.mp4', '.m4a', '.mov', '.webm', '.ogg',
  '.woff', '.woff2', '.pdf',
]);

export function isPrecompressed(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return false;
  return PRECOMPRESSED.has(path.slice(dot).toLowerCase());
}
