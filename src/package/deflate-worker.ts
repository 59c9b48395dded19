// Worker thread: compresses batches of files sent by ./deflate-pool.ts and transfers the bytes back (no copy).
import { parentPort } from 'node:worker_threads';
import { processFile, type BatchFile, type BatchResult } from './deflate-batch';

interface Job {
  id: number;
  files: BatchFile[];
}

/** A buffer that owns its whole ArrayBuffer can be transferred; otherwise copy it into one that does. */
function own(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b;
  return new Uint8Array(b);
}

parentPort!.on('message', (job: Job) => {
  const results: BatchResult[] = [];
  const transfer: ArrayBuffer[] = [];
  try {
    for (const f of job.files) {
      const r = processFile(f);
      const data = own(r.data);
      results.push({ ...r, data });
      if (!transfer.includes(data.buffer as ArrayBuffer)) transfer.push(data.buffer as ArrayBuffer);
    }
    parentPort!.postMessage({ id: job.id, results }, transfer);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    parentPort!.postMessage({ id: job.id, error: { message: e.message, code: e.code, absPath: e.path } });
  }
});
