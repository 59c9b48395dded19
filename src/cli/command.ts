// A command is a small declarative object; src/cli/registry.ts lists them and main.ts wires them into commander.
// Command files must stay cheap to import: SDKs and heavy modules are loaded inside run(), never at the top.
import type { Command } from 'commander';
import type { Context } from '../core/context';

export interface CommandSpec {
  /** Words that call it, e.g. "deploy" or "domain bind". */
  name: string;
  /** Positional arguments in commander syntax, e.g. "[dir]" or "<domain>". */
  args?: string;
  summary: string;
  /** Longer help shown under the usage line: examples first. */
  help?: string;
  configure?(cmd: Command): void;
  /** Returns the exit code (0 when omitted). Throws FcxError for failures. */
  run(ctx: Context, args: string[], opts: Record<string, any>): Promise<number | void>;
}
