// A small pool of worker threads running ./deflate-worker.js: one per core, each compressing whole batches.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchError, BatchFile, BatchResult } from './deflate-batch';

interface Pending {
  resolve: (r: BatchResult[]) => void;
  reject: (e: Error) => void;
}

export class DeflatePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ id: number; files: BatchFile[] }> = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  private failed?: Error;
  get broken(): boolean {
    return this.failed !== undefined;
  }

  constructor(size = Math.max(1, Math.min(4, availableParallelism()))) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(join(__dirname, 'deflate-worker.js'));
      w.on('message', (msg: { id: number; results?: BatchResult[]; error?: BatchError }) => this.done(w, msg));
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a packaging worker stopped (exit ${code})`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  run(files: BatchFile[]): Promise<BatchResult[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, files });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job.id);
      w.postMessage(job);
    }
  }

  private done(w: Worker, msg: { id: number; results?: BatchResult[]; error?: BatchError }): void {
    this.busy.delete(w);
    this.idle.push(w);
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (p) {
      if (msg.error) {
        const e = new Error(msg.error.message) as NodeJS.ErrnoException;
        e.code = msg.error.code;
        e.path = msg.error.absPath;
        p.reject(e);
      } else p.resolve(msg.results!);
    }
    this.pump();
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

// One pool per process, shared by concurrent packagings (deploy packages several functions at once): one worker
// per core in total rather than per function. It closes when the last user releases it.
let shared: DeflatePool | undefined;
let users = 0;

export function acquirePool(): DeflatePool {
  if (shared?.broken) void shared.close(); // a crashed worker: start afresh (its current users see the error)
  if (!shared || shared.broken) shared = new DeflatePool();
  users++;
  return shared;
}

export async function releasePool(): Promise<void> {
  users--;
  if (users === 0 && shared) {
    const p = shared;
    shared = undefined;
    await p.close();
  }
}
