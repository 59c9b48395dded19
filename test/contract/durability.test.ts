// Durability: a real `fcx emulator` process is killed with SIGKILL in the middle of a burst of creates and
// restarted on the same data dir; everything it acknowledged is still there (services, functions, code).
// Plus the store's own crash cases: a torn last journal line, leftover temp files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc64 } from '../../src/core/crc64';
import { FileStore } from '../../src/emulator/store';
import { startEmulatorProcess } from '../helpers/emulator';
import { makeTmpDir } from '../helpers/tmp';
import { makeZip } from '../helpers/zip';
import { fcClient } from './fc-helpers';

describe('durability', () => {
  test('kill -9 during a burst of creates loses nothing that was acknowledged', async () => {
    const tmp = makeTmpDir('fcx-durable-');
    const first = await startEmulatorProcess({ dataDir: tmp.dir });
    try {
      const fc = fcClient(first);
      await fc.createService('durable');
      const acked: string[] = [];
      const ackedCode = new Map<string, string>();
      let killed = false;
      // 8 parallel writers; the process is killed after 40 acknowledgements, with writes still in flight.
      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          const name = `fn_${w}_${i}`;
          const zip = makeZip([{ name: 'index.py', data: `# ${name}\ndef handler(e, s):\n    return []\n` }]);
          try {
            await fc.createFunction('durable', { functionName: name, runtime: 'python3.10', handler: 'index.handler', code: { zipFile: zip.toString('base64') } });
            acked.push(name);
            ackedCode.set(name, crc64(zip));
            if (acked.length >= 40 && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          } catch {
            return; // the connection died with the process: not acknowledged
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
      await first.kill('SIGKILL');
      assert.ok(acked.length >= 40);

      const second = await startEmulatorProcess({ dataDir: tmp.dir });
      try {
        const fc2 = fcClient(second);
        const names = new Set<string>();
        let nextToken: string | undefined;
        do {
          const page = await fc2.listFunctions('durable', { limit: '100', ...(nextToken ? { nextToken } : {}) });
          for (const f of page.data.functions) names.add(f.functionName);
          nextToken = page.data.nextToken;
        } while (nextToken);
        const lost = acked.filter((n) => !names.has(n));
        assert.deepEqual(lost, [], `acknowledged but lost after kill -9: ${lost.join(', ')}`);
        // The code of an acknowledged function is intact (blob written before the acknowledgement).
        const sample = acked[acked.length - 1];
        const code = await fc2.getFunctionCode('durable', sample);
        const zip = Buffer.from(await (await fetch(code.data.url)).arrayBuffer());
        assert.equal(crc64(zip), ackedCode.get(sample));
        // The state is readable JSON a person can open.
        const state = JSON.parse(readFileSync(join(tmp.dir, 'state', 'fc-functions.json'), 'utf8'));
        assert.ok(state[`durable/${sample}`]);
      } finally {
        await second.close();
      }
    } finally {
      await first.kill('SIGKILL');
      tmp.cleanup();
    }
  });

  test('store: a torn last journal line and leftover temp files from a crash are ignored', () => {
    const tmp = makeTmpDir('fcx-store-');
    try {
      const a = new FileStore(tmp.dir);
      a.put('things', 'one', { n: 1 });
      a.put('things', 'two', { n: 2 });
      a.delete('things', 'one');
      a.writeBlob('code/x.zip', Buffer.from('zip bytes'));
      a.close();
      // A crash mid-write: half a journal line, and a blob temp file that was never renamed.
      appendFileSync(join(tmp.dir, 'journal.jsonl'), '{"op":"put","c":"things","k":"three","v":{"n"');
      writeFileSync(join(tmp.dir, 'blobs', '.tmp-deadbeef'), 'partial');
      const b = new FileStore(tmp.dir);
      assert.deepEqual(b.list('things'), [['two', { n: 2 }]]);
      assert.equal(b.readBlob('code/x.zip').toString(), 'zip bytes');
      assert.ok(!readdirSync(join(tmp.dir, 'blobs')).includes('.tmp-deadbeef'));
      assert.equal(readFileSync(join(tmp.dir, 'journal.jsonl'), 'utf8'), '', 'start-up compaction empties the journal');
      b.put('things', 'four', { n: 4 });
      b.close();
      const c = new FileStore(tmp.dir);
      assert.deepEqual(c.list('things').map(([k]) => k), ['four', 'two']);
      c.reset();
      assert.deepEqual(c.list('things'), []);
      assert.equal(c.hasBlob('code/x.zip'), false);
      c.close();
    } finally {
      tmp.cleanup();
    }
  });
});
