// A small zip reader for deployed code packages (store and deflate, zip64 sizes), so the emulator needs no
// unzip dependency. Unix modes come from the external attributes, so `bootstrap` stays executable and
// symlinks stay symlinks.
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string; // as stored, '/'-separated
  isDirectory: boolean;
  isSymlink: boolean;
  mode: number | undefined; // permission bits (0o777) when the zip was made on Unix
  read(): Buffer;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export class ZipFormatError extends Error {}

function findEocd(buf: Buffer): number {
  // The EOCD record is at least 22 bytes and may be followed by a comment of up to 65535 bytes.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  throw new ZipFormatError('not a zip file (no end of central directory record)');
}

export function readZip(buf: Buffer): ZipEntry[] {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIG) {
    const z64 = Number(buf.readBigUInt64LE(eocd - 20 + 8));
    if (buf.readUInt32LE(z64) !== ZIP64_EOCD_SIG) throw new ZipFormatError('bad zip64 end of central directory');
    count = Number(buf.readBigUInt64LE(z64 + 32));
    cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) throw new ZipFormatError('corrupt central directory');
    const madeBy = buf.readUInt16LE(p + 4) >> 8; // 3 = Unix
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    // zip64 extended information: the fields that overflowed, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) { size = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (compSize === 0xffffffff) { compSize = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (localOffset === 0xffffffff) { localOffset = Number(buf.readBigUInt64LE(q)); q += 8; }
      }
      e += 4 + len;
    }
    p = extraEnd + commentLen;

    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    const fileType = unixMode & 0o170000;
    const isDirectory = name.endsWith('/') || fileType === 0o040000 || (madeBy !== 3 && (external & 0x10) !== 0);
    const isSymlink = fileType === 0o120000;
    const offset = localOffset;
    const read = (): Buffer => {
      if (buf.readUInt32LE(offset) !== LOCAL_SIG) throw new ZipFormatError(`corrupt local header for ${name}`);
      const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
      const data = buf.subarray(start, start + compSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new ZipFormatError(`${name}: unsupported compression method ${method} (only store and deflate)`);
    };
    entries.push({ name, isDirectory, isSymlink, mode: unixMode ? unixMode & 0o7777 : undefined, read });
    void size;
  }
  return entries;
}
