// The channel between the emulator and a built-in runtime process (python/node): length-prefixed frames over
// an extra socketpair (fd 3), so stdout and stderr stay free for the function's logs.
// Frame = uint32 BE header length, uint32 BE body length, JSON header (utf-8), body bytes.
import type { Socket } from 'node:net';

export interface Frame {
  header: Record<string, any>;
  body: Buffer;
}

export function encodeFrame(header: object, body: Buffer = EMPTY): Buffer[] {
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.allocUnsafe(8);
  prefix.writeUInt32BE(h.length, 0);
  prefix.writeUInt32BE(body.length, 4);
  return body.length ? [prefix, h, body] : [prefix, h];
}

const EMPTY = Buffer.alloc(0);

/** Reads frames from a socket and hands each complete one to `onFrame`. */
export function readFrames(sock: Socket, onFrame: (f: Frame) => void): void {
  let chunks: Buffer[] = [];
  let buffered = 0;
  let need = -1; // total bytes of the frame being read, once its prefix is known
  let hLen = 0;
  sock.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    for (;;) {
      if (need < 0) {
        if (buffered < 8) return;
        const head = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        chunks = [head];
        hLen = head.readUInt32BE(0);
        need = 8 + hLen + head.readUInt32BE(4);
      }
      if (buffered < need) return;
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const header = JSON.parse(all.toString('utf8', 8, 8 + hLen));
      const body = all.subarray(8 + hLen, need);
      const rest = all.subarray(need);
      chunks = rest.length ? [rest] : [];
      buffered = rest.length;
      need = -1;
      onFrame({ header, body });
    }
  });
}
