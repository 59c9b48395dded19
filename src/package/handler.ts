// The handler's (and initializer's) file must be in the package, or deploy stops before any upload, naming the
// file it expected. Python: `src.app.main.handler` → src/app/main.py or src/app/main/__init__.py. Node.js:
// `index.handler` → index.js / .mjs / .cjs. Custom runtimes start `bootstrap` (unless a command is configured).
import { UsageError } from '../core/errors';

export function isPython(runtime: string): boolean {
  return runtime.startsWith('python');
}
export function isNode(runtime: string): boolean {
  return runtime.startsWith('nodejs');
}
export function isCustom(runtime: string): boolean {
  return runtime.startsWith('custom');
}

/** The files that may hold the module of `handler` (any one of them is enough). */
export function expectedHandlerFiles(runtime: string, handler: string, what = 'handler'): string[] {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    const example = isPython(runtime) ? 'main.handler (function handler in main.py)' : 'index.handler (export handler in index.js)';
    throw new UsageError(`The ${what} "${handler}" has no module part: it must look like <file>.<function>.`, `Use for example ${what}: ${example}.`);
  }
  const mod = handler.slice(0, dot);
  if (isPython(runtime)) {
    const p = mod.split('.').join('/');
    return [`${p}.py`, `${p}/__init__.py`];
  }
  if (isNode(runtime)) return [`${mod}.js`, `${mod}.mjs`, `${mod}.cjs`];
  return [];
}

export interface HandlerCheck {
  runtime: string;
  handler: string;
  initializer?: string;
  /** Custom runtime started by a configured command instead of `bootstrap`. */
  hasCommand?: boolean;
  /** Where the files came from, for messages. */
  source: string;
}

/** Throws a UsageError naming the expected path when the handler, initializer or bootstrap is missing. */
export function checkEntryPoints(c: HandlerCheck, paths: Set<string>): void {
  if (isCustom(c.runtime)) {
    if (c.hasCommand) return;
    if (!paths.has('bootstrap')) {
      throw new UsageError(
        `The custom runtime needs an executable file named bootstrap at the top of ${c.source}, and there is none in the package.`,
        'Add a bootstrap script that starts your web server on port 9000 (or the port you configured), or check .fcignore does not exclude it.',
      );
    }
    return;
  }
  for (const [what, value] of [['handler', c.handler], ['initializer', c.initializer]] as const) {
    if (value === undefined || value === '') continue;
    const candidates = expectedHandlerFiles(c.runtime, value, what);
    if (candidates.length && !candidates.some((p) => paths.has(p))) {
      throw new UsageError(
        `The ${what} "${value}" needs ${candidates[0]}${candidates.length > 1 ? ` (or ${candidates.slice(1).join(' or ')})` : ''} in ${c.source}, and it is not in the package.`,
        `Create ${candidates[0]}, fix the ${what} in fcx.yaml, or check .fcignore does not exclude it (try: fcx deploy --dry-run --list-files).`,
      );
    }
  }
}
