// The one place that writes for the user. stdout carries data (JSON under --json); stderr carries people's text.
import { palette, colorEnabled, type Palette } from './color';
import { redact } from './redact';

export interface UiOptions {
  json?: boolean;
  color?: boolean; // false when --no-color
  debug?: boolean;
  quiet?: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export class Ui {
  readonly json: boolean;
  readonly debugEnabled: boolean;
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
  /** Colours for stderr text. */
  readonly c: Palette;
  /** Colours for stdout text (human data views such as log lines). */
  readonly cOut: Palette;
  readonly interactiveErr: boolean;

  constructor(opts: UiOptions = {}) {
    this.json = Boolean(opts.json);
    this.debugEnabled = Boolean(opts.debug);
    this.out = opts.stdout ?? process.stdout;
    this.err = opts.stderr ?? process.stderr;
    const noColor = opts.color === false;
    this.c = palette(colorEnabled(this.err, noColor));
    this.cOut = palette(colorEnabled(this.out, noColor));
    this.interactiveErr = Boolean(this.err.isTTY);
  }

  /** Data for programs and pipes: a JSON document under --json, else text lines. */
  data(value: unknown): void {
    if (typeof value === 'string') this.out.write(value.endsWith('\n') ? value : value + '\n');
    else this.out.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** One JSON object per line (logs --json). */
  jsonLine(value: unknown): void {
    this.out.write(JSON.stringify(value) + '\n');
  }

  info(msg: string): void {
    this.err.write(redact(msg) + '\n');
  }

  step(msg: string): void {
    this.err.write(`${this.c.cyan('•')} ${redact(msg)}\n`);
  }

  success(msg: string): void {
    this.err.write(`${this.c.green('✓')} ${redact(msg)}\n`);
  }

  warn(msg: string): void {
    this.err.write(`${this.c.yellow('warning:')} ${redact(msg)}\n`);
  }

  error(msg: string, details: string[] = [], hint?: string): void {
    this.err.write(`${this.c.red('error:')} ${redact(msg)}\n`);
    for (const d of details) this.err.write(`  ${redact(d)}\n`);
    if (hint) this.err.write(`${this.c.dim('hint:')} ${redact(hint)}\n`);
  }

  debug(msg: string): void {
    if (this.debugEnabled) this.err.write(this.c.dim(`[debug] ${redact(msg)}`) + '\n');
  }
}
