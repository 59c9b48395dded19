import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;
/** The fcx package folder (holds package.json, templates/, src/emulator/runtimes/), from src/ or dist/src/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'templates'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the fcx package folder');
    dir = up;
  }
  root = dir;
  return root;
}
