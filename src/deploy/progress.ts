// What a person watches during deploy. On a TTY: a live block of the steps in flight with their elapsed time
// (rewritten in place with ANSI), finished steps printed above it. Without a TTY: one plain line per finished
// step and occasional progress lines, all on stderr.
import type { Ui } from '../ui/output';
import { redact } from '../ui/redact';

export interface StepHandle {
  update(text: string): void;
  done(text?: string): void;
  fail(text?: string): void;
}

interface Active {
  label: string;
  started: number;
  detail?: string;
  lastPlain?: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class Progress {
  private readonly active = new Set<Active>();
  private drawn = 0;
  private timer?: NodeJS.Timeout;

  private restore?: () => void;

  constructor(private readonly ui: Ui, private readonly live: boolean) {
    if (live) {
      this.timer = setInterval(() => this.repaint(), 120);
      this.timer.unref();
      // Lines other code prints meanwhile (retry notices, warnings) go above the live block, not through it.
      const { info, warn } = ui;
      ui.info = (msg: string) => this.print(msg);
      ui.warn = (msg: string) => this.print(`${ui.c.yellow('warning:')} ${msg}`);
      this.restore = () => {
        ui.info = info;
        ui.warn = warn;
      };
    }
  }

  start(label: string): StepHandle {
    const a: Active = { label, started: Date.now() };
    this.active.add(a);
    if (this.live) this.repaint();
    const finish = (ok: boolean, text?: string) => {
      if (!this.active.has(a)) return;
      this.active.delete(a);
      const line = `${ok ? this.ui.c.green('✓') : this.ui.c.red('✗')} ${text ?? label} ${this.ui.c.dim(`(${secs(Date.now() - a.started)})`)}`;
      this.print(line);
    };
    return {
      update: (text) => {
        a.detail = text;
        if (!this.live) {
          // Plain mode: at most one progress line every 2 s per step, so CI logs stay readable.
          const now = Date.now();
          if (!a.lastPlain || now - a.lastPlain >= 2000) {
            a.lastPlain = now;
            this.print(`  ${label}: ${text}`);
          }
        }
      },
      done: (text) => finish(true, text),
      fail: (text) => finish(false, text),
    };
  }

  /** A line that stays (printed above the live block). */
  print(line: string): void {
    if (!this.live) {
      this.ui.err.write(redact(line) + '\n');
      return;
    }
    this.clear();
    this.ui.err.write(redact(line) + '\n');
    this.repaint();
  }

  private clear(): void {
    if (this.drawn > 0) this.ui.err.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private repaint(): void {
    if (!this.live) return;
    this.clear();
    const cols = (this.ui.err as NodeJS.WriteStream).columns || 100;
    const lines = [...this.active].map((a) => {
      const t = `${this.ui.c.cyan('…')} ${a.label}${a.detail ? `: ${a.detail}` : ''} ${this.ui.c.dim(secs(Date.now() - a.started))}`;
      return t.length > cols + 20 ? t.slice(0, cols + 19) : t;
    });
    if (lines.length) this.ui.err.write(redact(lines.join('\n')) + '\n');
    this.drawn = lines.length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.restore?.();
    this.restore = undefined;
    if (this.live) this.clear();
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
