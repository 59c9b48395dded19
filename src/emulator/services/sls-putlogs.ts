// Decoding a PutLogs body: protobuf LogGroup (@alicloud/log's sls.proto), optionally lz4- or deflate-compressed
// (header x-log-compresstype, raw size in x-log-bodyrawsize), or the JSON form {__topic__, __source__, __logs__, __tags__}.
import { inflateSync } from 'node:zlib';
import type { LogRow } from './sls-query';

export class PutLogsError extends Error {}

/** LZ4 block format (no frame), as SLS uses it. */
export function lz4BlockDecode(src: Buffer, rawSize: number): Buffer {
  const dst = Buffer.alloc(rawSize);
  let si = 0;
  let di = 0;
  while (si < src.length) {
    const token = src[si++];
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        b = src[si++];
        lit += b;
      } while (b === 255 && si < src.length);
    }
    if (si + lit > src.length || di + lit > rawSize) throw new PutLogsError('corrupt lz4 body');
    src.copy(dst, di, si, si + lit);
    si += lit;
    di += lit;
    if (si >= src.length) break;
    const offset = src[si] | (src[si + 1] << 8);
    si += 2;
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        b = src[si++];
        len += b;
      } while (b === 255 && si < src.length);
    }
    len += 4;
    let from = di - offset;
    if (offset === 0 || from < 0 || di + len > rawSize) throw new PutLogsError('corrupt lz4 body');
    for (let k = 0; k < len; k++) dst[di++] = dst[from++];
  }
  return dst.subarray(0, di);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, readonly end = buf.length) {}
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new PutLogsError('truncated protobuf');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new PutLogsError('bad varint');
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.end) throw new PutLogsError('truncated protobuf');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new PutLogsError(`unsupported protobuf wire type ${wire}`);
  }
  *fields(): Generator<[number, number]> {
    while (this.pos < this.end) {
      const key = this.varint();
      yield [key >>> 3, key & 7];
    }
  }
}

function decodePair(buf: Buffer): [string, string] {
  const r = new Reader(buf);
  let k = '';
  let v = '';
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) k = r.bytes().toString('utf8');
    else if (f === 2 && w === 2) v = r.bytes().toString('utf8');
    else r.skip(w);
  }
  return [k, v];
}

function decodeLog(buf: Buffer): { time: number; contents: Array<[string, string]> } {
  const r = new Reader(buf);
  let time = 0;
  const contents: Array<[string, string]> = [];
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 0) time = r.varint();
    else if (f === 2 && w === 2) contents.push(decodePair(r.bytes()));
    else r.skip(w);
  }
  return { time, contents };
}

export function decodeLogGroup(buf: Buffer): LogRow[] {
  const r = new Reader(buf);
  const logs: Array<{ time: number; contents: Array<[string, string]> }> = [];
  let topic = '';
  let source = '';
  const tags: Array<[string, string]> = [];
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) logs.push(decodeLog(r.bytes()));
    else if (f === 3 && w === 2) topic = r.bytes().toString('utf8');
    else if (f === 4 && w === 2) source = r.bytes().toString('utf8');
    else if (f === 6 && w === 2) tags.push(decodePair(r.bytes()));
    else r.skip(w);
  }
  return logs.map((l) => {
    const fields: Record<string, string> = {};
    for (const [k, v] of l.contents) fields[k] = v;
    for (const [k, v] of tags) fields[`__tag__:${k}`] = v;
    return { time: l.time, topic, source, fields };
  });
}

function decodeJsonGroup(text: string): LogRow[] {
  let doc: { __topic__?: string; __source__?: string; __logs__?: Array<Record<string, unknown>>; __tags__?: Record<string, unknown> };
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PutLogsError('the body is not valid JSON');
  }
  if (!doc || !Array.isArray(doc.__logs__)) throw new PutLogsError('the JSON body has no __logs__ array');
  const now = Math.floor(Date.now() / 1000);
  return doc.__logs__.map((l) => {
    const fields: Record<string, string> = {};
    let time = now;
    for (const [k, v] of Object.entries(l)) {
      if (k === '__time__') time = Number(v) || now;
      else fields[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    for (const [k, v] of Object.entries(doc.__tags__ ?? {})) fields[`__tag__:${k}`] = String(v);
    return { time, topic: doc.__topic__ ?? '', source: doc.__source__ ?? '', fields };
  });
}

/** Rows of a PutLogs request body. Throws PutLogsError for bodies it cannot read. */
export function decodePutLogsBody(body: Buffer, headers: Record<string, string>): LogRow[] {
  const compress = (headers['x-log-compresstype'] ?? '').toLowerCase();
  const rawSize = Number(headers['x-log-bodyrawsize'] ?? 0);
  let raw = body;
  if (compress === 'lz4') {
    if (!rawSize) throw new PutLogsError('x-log-bodyrawsize is required with lz4 compression');
    raw = lz4BlockDecode(body, rawSize);
  } else if (compress === 'deflate') {
    raw = inflateSync(body);
  } else if (compress && compress !== 'none') {
    throw new PutLogsError(`unsupported x-log-compresstype: ${compress}`);
  }
  const ct = (headers['content-type'] ?? '').toLowerCase();
  if (ct.startsWith('application/json')) return decodeJsonGroup(raw.toString('utf8'));
  return decodeLogGroup(raw);
}
