// CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones): what FC reports as codeChecksum and
// OSS as x-oss-hash-crc64ecma, as an unsigned decimal string. Check value: "123456789" → 11051210869376104954.
const POLY = 0xc96c5795d7870f42n;

// Two 32-bit halves per table entry keep the inner loop in fast number arithmetic instead of BigInt.
const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = BigInt(i);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
  TABLE_LO[i] = Number(c & 0xffffffffn);
  TABLE_HI[i] = Number(c >> 32n);
}

export class Crc64 {
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(buf: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < buf.length; i++) {
      const idx = (lo ^ buf[i]) & 0xff;
      // crc = table[idx] ^ (crc >>> 8), on the 64-bit value split into hi:lo
      const nlo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
      const nhi = hi >>> 8;
      lo = (TABLE_LO[idx] ^ nlo) >>> 0;
      hi = (TABLE_HI[idx] ^ nhi) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  digest(): string {
    const v = ((BigInt((this.hi ^ 0xffffffff) >>> 0) << 32n) | BigInt((this.lo ^ 0xffffffff) >>> 0));
    return v.toString();
  }
}

export function crc64(data: Uint8Array | string): string {
  return new Crc64().update(typeof data === 'string' ? Buffer.from(data) : data).digest();
}
