// Tail polls overlap (a look-back of a few seconds catches rows that arrive late), so each row must print once.
// A row's identity is time + instance + message + its occurrence number among identical rows of the same poll:
// two identical prints in the same second are two rows, and stay two.
import { keysOf, type LogRecord } from './records';

export class Deduper {
  private readonly seen = new Map<string, number>(); // key → timeSec, for pruning

  /** The records of this batch not printed before (batch in SLS order, covering whole seconds). */
  fresh(batch: LogRecord[]): LogRecord[] {
    const keys = keysOf(batch);
    const out: LogRecord[] = [];
    batch.forEach((r, i) => {
      if (this.seen.has(keys[i])) return;
      this.seen.set(keys[i], r.timeSec);
      out.push(r);
    });
    return out;
  }

  /** Forget rows older than `beforeSec`: no later poll looks back that far. */
  prune(beforeSec: number): void {
    for (const [k, t] of this.seen) if (t < beforeSec) this.seen.delete(k);
  }

  get size(): number {
    return this.seen.size;
  }
}
