import { readFileSync } from 'node:fs';
import { packageRoot } from './paths';

let cached: string | undefined;
export function version(): string {
  cached ??= JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')).version as string;
  return cached;
}
