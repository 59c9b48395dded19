// Region ids: only the shape is enforced (Alibaba Cloud adds regions); an id fcx does not know gets a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifest } from '../../src/manifest/load';
import { KNOWN_REGIONS, unknownRegionWarning } from '../../src/manifest/regions';
import { UsageError } from '../../src/core/errors';
import { fixture, MINIMAL } from './manifest-fixtures';

async function loadWarnings(yaml: string, region?: string): Promise<string[]> {
  const f = fixture(yaml);
  const warnings: string[] = [];
  try {
    await loadManifest(f.file, { env: {}, region, cwd: f.dir, warn: (m) => warnings.push(m) });
  } finally {
    f.cleanup();
  }
  return warnings;
}

test('--region mars-1 (well-formed, unknown) loads, with a warning that says so', async () => {
  const w = await loadWarnings(MINIMAL, 'mars-1');
  assert.equal(w.length, 1);
  assert.match(w[0], /^Region mars-1 is not one fcx knows\. If Alibaba Cloud opened it recently this is fine; otherwise the first cloud call will fail\./);
});

test('a typo in region: gets a suggestion; known regions load silently', async () => {
  const w = await loadWarnings(MINIMAL.replace('name: hello-api\n', 'name: hello-api\nregion: cn-hangzou\n'));
  assert.equal(w.length, 1);
  assert.match(w[0], /did you mean cn-hangzhou\?/);
  assert.deepEqual(await loadWarnings(MINIMAL.replace('name: hello-api\n', 'name: hello-api\nregion: ap-southeast-1\n')), []);
  assert.deepEqual(await loadWarnings(MINIMAL, 'cn-shanghai'), []);
  for (const r of KNOWN_REGIONS) assert.equal(unknownRegionWarning(r), undefined, r);
});

test('a region that is not even shaped like one is still a usage error', async () => {
  await assert.rejects(loadWarnings(MINIMAL, 'Mars 1'), (err: unknown) => err instanceof UsageError && /--region 'Mars 1' is not a region id/.test(err.message));
});
