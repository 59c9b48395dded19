// Shared pieces of the FC contract tests: an fc2 client for an emulator, zips, and assertions on FC errors.
import assert from 'node:assert/strict';
import { LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { makeZip, type ZipInput } from '../helpers/zip';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const FC = require('@alicloud/fc2');

export type FcClient = any; // @alicloud/fc2 ships no types

/** An fc2 client with the emulator's credentials; `over` replaces options (and `accountId` the account). */
export function fcClient(emu: { url: string }, over: Record<string, unknown> = {}): FcClient {
  const { accountId = LOCAL_CREDS.accountId, ...options } = over;
  return new FC(accountId, { endpoint: emu.url, accessKeyID: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, region: LOCAL_CREDS.region, timeout: 30_000, ...options });
}

export function zipBase64(files: ZipInput[]): string {
  return makeZip(files).toString('base64');
}

export const HELLO_PY: ZipInput[] = [
  {
    name: 'index.py',
    data: [
      'import json',
      'def handler(environ, start_response):',
      "    body = json.dumps({'path': environ['PATH_INFO'], 'method': environ['REQUEST_METHOD'], 'query': environ.get('QUERY_STRING', ''),",
      "                       'uri': environ.get('fc.request_uri'), 'x': environ.get('HTTP_X_CUSTOM'), 'fc_header': environ.get('HTTP_X_FC_SECRET'),",
      "                       'body': environ['wsgi.input'].read(int(environ.get('CONTENT_LENGTH') or 0)).decode()}).encode()",
      "    start_response('200 OK', [('Content-Type', 'application/json'), ('X-Fc-Sneaky', '1'), ('Server', 'app'), ('X-App', 'yes')])",
      '    return [body]',
      '',
      'def event(event, context):',
      "    print('event log line')",
      "    return b'echo:' + event",
      '',
      'def boom(event, context):',
      "    raise ValueError('kaput')",
      '',
    ].join('\n'),
  },
];

/** Asserts that p rejects with the FC error code (fc2 error.code) and HTTP status. */
export async function fcRejects(p: Promise<unknown>, code: string, status?: number): Promise<any> {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (status !== undefined) assert.match(e.message, new RegExp(`failed with ${status}`));
    assert.match(e.message, /requestid: [0-9a-f-]{36}/);
    return e;
  }
  assert.fail(`expected the call to fail with ${code}`);
}

export async function lastCall(emu: TestEmulator) {
  const calls = await emu.requests();
  return calls[calls.length - 1];
}
