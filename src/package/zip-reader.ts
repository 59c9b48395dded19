// Reads a zip's central directory (names, sizes, modes) without extracting: used when the source is already a
// .zip (listing and the handler check) and by tests. Handles Zip64.
import { promises as fsp } from 'node:fs';

export interface ZipEntryInfo {
  path: string;
  size: number;
  compressedSize: number;
  method: number;
  crc32: number;
  /** Unix mode from the external attributes when made by Unix, else 0o644 / 0o755 for folders. */
  mode: number;
  isDirectory: boolean;
  localOffset: number;
  externalAttributes: number;
  madeBy: number;
  dosTime: number;
  dosDate: number;
  extraLength: number;
}

export class ZipFormatError extends Error {}

async function readAt(fh: fsp.FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.alloc(len);
  const { bytesRead } = await fh.read(b, 0, len, pos);
  return b.subarray(0, bytesRead);
}

export async function readZipEntries(zipPath: string): Promise<ZipEntryInfo[]> {
  const fh = await fsp.open(zipPath, 'r');
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = await readAt(fh, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipFormatError('no end of central directory record: not a zip file');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    const eocdAbs = size - tailLen + eocd;
    if (eocdAbs >= 20) {
      const loc = await readAt(fh, eocdAbs - 20, 20);
      if (loc.readUInt32LE(0) === 0x07064b50) {
        const recOff = Number(loc.readBigUInt64LE(8));
        const rec = await readAt(fh, recOff, 56);
        if (rec.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('broken Zip64 end record');
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOffset = Number(rec.readBigUInt64LE(48));
      }
    }
    const cd = await readAt(fh, cdOffset, cdSize);
    const out: ZipEntryInfo[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError(`central directory entry ${n} is broken`);
      const madeBy = cd.readUInt16LE(p + 4);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const dosTime = cd.readUInt16LE(p + 12);
      const dosDate = cd.readUInt16LE(p + 14);
      const crc32 = cd.readUInt32LE(p + 16);
      let compressedSize = cd.readUInt32LE(p + 20);
      let usize = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const ext = cd.readUInt32LE(p + 38);
      let localOffset = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x0800 ? 'utf8' : 'latin1');
      // Zip64 extended information: only the fields stored as 0xFFFFFFFF, in order.
      let e = p + 46 + nameLen;
      const eEnd = e + extraLen;
      while (e + 4 <= eEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (usize === 0xffffffff) (usize = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      const isDirectory = name.endsWith('/');
      const unixMode = madeBy >> 8 === 3 ? (ext >>> 16) & 0o7777 : 0;
      out.push({
        path: name,
        size: usize,
        compressedSize,
        method,
        crc32,
        mode: unixMode || (isDirectory ? 0o755 : 0o644),
        isDirectory,
        localOffset,
        externalAttributes: ext >>> 0,
        madeBy,
        dosTime,
        dosDate,
        extraLength: extraLen,
      });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return out;
  } finally {
    await fh.close();
  }
}
