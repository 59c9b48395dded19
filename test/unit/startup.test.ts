// fcx --help and --version must not load any cloud SDK or prompt library: they are loaded by the commands that use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

const HEAVY = /node_modules[\\/](@alicloud|ali-oss|inquirer|@inquirer|axios|yaml)[\\/]/;

function modulesLoadedBy(argv: string[]): string[] {
  const main = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  const script = `
    const out = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true; // keep the help text out of the report
    require(${JSON.stringify(main)}).main(${JSON.stringify(argv)}).then(() => {
      out(JSON.stringify(Object.keys(require.cache)));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

for (const argv of [['--help'], ['--version'], ['deploy', '--help'], ['logs', '--help'], ['domain', 'bind', '--help']]) {
  test(`fcx ${argv.join(' ')} loads no SDK`, () => {
    const heavy = modulesLoadedBy(argv).filter((m) => HEAVY.test(m));
    assert.deepEqual(heavy, []);
  });
}

test('the launcher answers --version without loading the CLI', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'fcx.js'), '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
});
