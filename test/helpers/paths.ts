import { join } from 'node:path';

/** The repository root, from dist/test/helpers. */
export const repoRoot = join(__dirname, '..', '..', '..');
export const fcxBin = join(repoRoot, 'bin', 'fcx.js');
