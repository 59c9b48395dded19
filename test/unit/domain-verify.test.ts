// The pure diagnosis behind `fcx domain verify`, and the fixture resolver tests and users can swap in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/domain/verify/diagnose';
import { lookupDns } from '../../src/domain/verify/acquire';
import type { VerifyFacts } from '../../src/domain/verify/facts';
import { checkCertificate } from '../../src/domain/certificate';
import { fixtureResolver, getDnsResolver, setDnsResolver } from '../../src/domain/resolver';
import { makePki, opensslDate, type TestPki } from './domain-pki';

const TARGET = '1234567890123456.ap-southeast-1.fc.aliyuncs.com';
let pki: TestPki;
before(() => {
  pki = makePki();
});
after(() => pki.cleanup());

function facts(o: Partial<VerifyFacts> = {}): VerifyFacts {
  return {
    domain: 'api.example.com',
    region: 'ap-southeast-1',
    accountId: '1234567890123456',
    local: false,
    cliFlags: '',
    expectedCname: TARGET,
    now: new Date().toISOString(),
    dns: { source: 'test', cnameChain: [TARGET], a: ['47.0.0.1'], aaaa: [], expectedA: ['47.0.0.1'] },
    serviceName: 'hello',
    remote: { exists: true, protocol: 'HTTP', routes: [{ path: '/*', serviceName: 'hello', functionName: 'web' }] },
    manifest: { present: true, protocol: 'HTTP', routes: [{ path: '/*', function: 'web' }], inSync: true },
    ...o,
  };
}

describe('diagnose', () => {
  test('all right: ok, exit 0, nothing to do', () => {
    const d = diagnose(facts());
    assert.equal(d.ok, true);
    assert.equal(d.exitCode, 0);
    assert.equal(d.resolved.pointsAtFc, true);
    assert.deepEqual(d.recommendedDnsRecords, []);
    assert.deepEqual(d.next, []);
    assert.equal(d.icpFilingRequired, false);
  });

  test('no DNS record: exit 3 with the exact record to create', () => {
    const d = diagnose(facts({ dns: { source: 't', cnameChain: [], a: [], aaaa: [], expectedA: ['47.0.0.1'] } }));
    assert.equal(d.exitCode, 3);
    assert.equal(d.status, 'action-needed');
    assert.deepEqual(d.recommendedDnsRecords, [{ type: 'CNAME', name: 'api.example.com', value: TARGET }]);
    const dns = d.issues.find((i) => i.area === 'dns')!;
    assert.equal(dns.code, 'dns_missing');
    assert.match(dns.fix!, /CNAME {2}api\.example\.com → 1234567890123456\.ap-southeast-1\.fc\.aliyuncs\.com/);
    assert.match(d.next[0], /Create the DNS record/);
  });

  test('a CNAME elsewhere, and A records without CNAME, are told apart', () => {
    assert.equal(diagnose(facts({ dns: { source: 't', cnameChain: ['old.host.net'], a: ['1.1.1.1'], aaaa: [], expectedA: ['47.0.0.1'] } })).issues[0].code, 'dns_wrong_cname');
    assert.equal(diagnose(facts({ dns: { source: 't', cnameChain: [], a: ['1.1.1.1'], aaaa: [], expectedA: ['47.0.0.1'] } })).issues[0].code, 'dns_not_cname');
  });

  test('a flattened CNAME (same A records as the FC endpoint) is accepted with a note', () => {
    const d = diagnose(facts({ dns: { source: 't', cnameChain: [], a: ['47.0.0.1'], aaaa: [], expectedA: ['47.0.0.1', '47.0.0.2'] } }));
    assert.equal(d.exitCode, 0);
    assert.equal(d.issues[0].code, 'dns_flattened');
  });

  test('with --local a missing record is a note, and the curl line is given', () => {
    const d = diagnose(facts({ local: true, cliFlags: ' --local', endpoint: 'http://127.0.0.1:9100', dns: { source: 't', cnameChain: [], a: [], aaaa: [], expectedA: [] } }));
    assert.equal(d.exitCode, 0);
    assert.ok(d.issues.some((i) => i.code === 'local_host_header' && i.message.includes("curl -H 'Host: api.example.com' http://127.0.0.1:9100/")));
  });

  test('not bound in FC → exit 3 with the command that binds it', () => {
    const d = diagnose(facts({ remote: { exists: false, routes: [] }, manifest: { present: false, routes: [], inSync: true } }));
    assert.equal(d.exitCode, 3);
    assert.equal(d.next.at(-1), 'fcx domain bind api.example.com');
  });

  test('mainland China regions need an ICP filing (a note), Hong Kong does not', () => {
    assert.equal(diagnose(facts({ region: 'cn-shanghai' })).icpFilingRequired, true);
    assert.equal(diagnose(facts({ region: 'cn-shanghai' })).exitCode, 0);
    assert.equal(diagnose(facts({ region: 'cn-hongkong' })).icpFilingRequired, false);
  });

  test('certificate state: FC serves an expired certificate → exit 3; a valid one is described', () => {
    const old = pki.leaf(['api.example.com'], { start: '20200101000000Z', end: '20200201000000Z' });
    const d = diagnose(facts({ remote: { exists: true, protocol: 'HTTP,HTTPS', routes: [{ path: '/*', serviceName: 'hello', functionName: 'web' }], certificate: checkCertificate('api.example.com', old.cert, undefined) } }));
    assert.equal(d.exitCode, 3);
    assert.equal(d.certificate?.source, 'FC');
    assert.ok(d.certificate!.daysLeft < 0);
    assert.match(d.issues.find((i) => i.area === 'certificate')!.message, /expired on 2020-02-01/);

    const good = pki.leaf(['api.example.com'], { end: opensslDate(new Date(Date.now() + 200 * 86_400_000)) });
    const ok = diagnose(facts({ remote: { exists: true, protocol: 'HTTP,HTTPS', routes: [{ path: '/*', serviceName: 'hello', functionName: 'web' }], certificate: checkCertificate('api.example.com', good.cert, undefined) } }));
    assert.equal(ok.exitCode, 0);
    assert.deepEqual(ok.certificate?.names, ['api.example.com']);
  });
});

describe('DNS lookups', () => {
  const table = {
    'api.example.com': { CNAME: ['edge.example.net'] },
    'edge.example.net': { CNAME: [TARGET + '.'] },
    [TARGET]: { A: ['47.0.0.9'] },
  };

  test('follows the CNAME chain and the A records behind it', async () => {
    const dns = await lookupDns(fixtureResolver(table), 'api.example.com', TARGET);
    assert.deepEqual(dns.cnameChain, ['edge.example.net', TARGET]);
    assert.deepEqual(dns.a, ['47.0.0.9']);
    assert.deepEqual(dns.expectedA, ['47.0.0.9']);
    assert.equal(diagnose(facts({ dns })).resolved.pointsAtFc, true);
  });

  test('setDnsResolver overrides the resolver for the process; undefined restores it', async () => {
    setDnsResolver(fixtureResolver(table, 'mine'));
    assert.equal(getDnsResolver({}).source, 'mine');
    setDnsResolver(undefined);
    assert.equal(getDnsResolver({}).source, 'system resolver');
  });

  test('a resolver that fails is reported, not thrown', async () => {
    const broken = { source: 'x', resolveCname: async () => Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })), resolve4: async () => [], resolve6: async () => [] };
    const dns = await lookupDns(broken, 'api.example.com', TARGET);
    assert.match(dns.error!, /ETIMEOUT/);
    assert.equal(diagnose(facts({ dns })).issues[0].code, 'dns_lookup_failed');
  });
});
