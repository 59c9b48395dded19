// The route/certificate merge that decides what fcx sends for a custom domain (pure: no cloud call).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeDomain, type RemoteDomain } from '../../src/domain/merge';
import { certNameFor } from '../../src/domain/names';
import type { DomainSpec } from '../../src/manifest/types';

const SVC = 'hello-api';
const spec = (o: Partial<DomainSpec> = {}): DomainSpec => ({
  name: 'api.example.com',
  protocol: 'HTTP',
  routes: [
    { path: '/*', function: 'web' },
    { path: '/admin/*', function: 'admin', methods: ['GET', 'POST'] },
  ],
  ...o,
});
const remote = (routes: any[], extra: Partial<RemoteDomain> = {}): RemoteDomain => ({ domainName: 'api.example.com', protocol: 'HTTP', routeConfig: { routes }, ...extra });

describe('mergeDomain', () => {
  test('a new domain is created with all its routes and no methods for a route without methods', () => {
    const m = mergeDomain({ desired: spec(), remote: undefined, serviceName: SVC });
    assert.equal(m.action, 'create');
    assert.deepEqual(m.body, {
      protocol: 'HTTP',
      routeConfig: {
        routes: [
          { path: '/*', serviceName: SVC, functionName: 'web' },
          { path: '/admin/*', serviceName: SVC, functionName: 'admin', methods: ['GET', 'POST'] },
        ],
      },
    });
    assert.deepEqual(m.changes, ['+ route /* → web', '+ route /admin/* → admin [GET,POST]']);
  });

  test('the same routes (FC echoing LATEST, empty methods, another order) are unchanged: nothing to send', () => {
    const m = mergeDomain({
      desired: spec(),
      remote: remote([
        { path: '/admin/*', serviceName: SVC, functionName: 'admin', methods: ['POST', 'GET'], qualifier: 'LATEST' },
        { path: '/*', serviceName: SVC, functionName: 'web', methods: [], qualifier: '' },
      ]),
      serviceName: SVC,
    });
    assert.equal(m.action, 'unchanged');
    assert.deepEqual(m.body, {});
    assert.deepEqual(m.changes, []);
  });

  test('foreign routes are kept, own routes updated, own routes gone from fcx.yaml removed', () => {
    const foreign = { path: '/legacy/*', serviceName: 'other-app', functionName: 'old', rewriteConfig: { equalRules: [] } };
    const m = mergeDomain({
      desired: spec(),
      remote: remote([foreign, { path: '/*', serviceName: SVC, functionName: 'web-old' }, { path: '/gone', serviceName: SVC, functionName: 'web' }]),
      serviceName: SVC,
    });
    assert.equal(m.action, 'update');
    assert.deepEqual(Object.keys(m.body), ['routeConfig']);
    assert.deepEqual((m.body.routeConfig as any).routes, [
      foreign,
      { path: '/*', serviceName: SVC, functionName: 'web' },
      { path: '/admin/*', serviceName: SVC, functionName: 'admin', methods: ['GET', 'POST'] },
    ]);
    assert.deepEqual(m.changes, ['~ route /* → web (was /* → web-old)', '- route /gone → web (no longer in fcx.yaml)', '+ route /admin/* → admin [GET,POST]']);
    assert.deepEqual(m.conflicts, []);
  });

  test('a path served by another service is a conflict; --force takes it over and keeps the others', () => {
    const r = remote([{ path: '/*', serviceName: 'other-app', functionName: 'site' }, { path: '/blog/*', serviceName: 'other-app', functionName: 'blog' }]);
    const m = mergeDomain({ desired: spec(), remote: r, serviceName: SVC });
    assert.deepEqual(m.conflicts, ['/* is served by other-app/site, not by this app (hello-api)']);
    const f = mergeDomain({ desired: spec(), remote: r, serviceName: SVC, force: true });
    assert.deepEqual(f.conflicts, []);
    assert.deepEqual((f.body.routeConfig as any).routes.map((x: any) => `${x.path}:${x.serviceName}/${x.functionName}`), ['/*:hello-api/web', '/blog/*:other-app/blog', '/admin/*:hello-api/admin']);
    assert.match(f.changes[0], /taken over from other-app\/site/);
  });

  test('without certificate settings an existing certificate and protocol stay untouched', () => {
    const r = remote([{ path: '/*', serviceName: SVC, functionName: 'web' }, { path: '/admin/*', serviceName: SVC, functionName: 'admin', methods: ['GET', 'POST'] }], {
      protocol: 'HTTP,HTTPS',
      certConfig: { certName: 'console-cert', certificate: '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----', privateKey: null },
    });
    const m = mergeDomain({ desired: spec(), remote: r, serviceName: SVC });
    assert.equal(m.action, 'unchanged');
  });

  test('changing only the certificate sends only certificate and protocol, not the routes', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nNEW\n-----END CERTIFICATE-----\n';
    const r = remote([{ path: '/*', serviceName: SVC, functionName: 'web' }, { path: '/admin/*', serviceName: SVC, functionName: 'admin', methods: ['GET', 'POST'] }], {
      protocol: 'HTTP,HTTPS',
      certConfig: { certName: 'old', certificate: '-----BEGIN CERTIFICATE-----\nOLD\n-----END CERTIFICATE-----', privateKey: null },
    });
    const m = mergeDomain({ desired: spec({ protocol: 'HTTPS', certificate: cert, privateKey: 'KEY-PEM' }), remote: r, serviceName: SVC });
    assert.equal(m.action, 'update');
    assert.deepEqual(m.body, { certConfig: { certName: certNameFor('api.example.com', cert), certificate: cert, privateKey: 'KEY-PEM' }, protocol: 'HTTP,HTTPS' });
    assert.match(certNameFor('api.example.com', cert), /^api-example-com-[0-9a-f]{8}$/);
  });

  test('the same certificate with other whitespace is unchanged', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nSAME\n-----END CERTIFICATE-----\n';
    const r = remote([{ path: '/*', serviceName: SVC, functionName: 'web' }], { protocol: 'HTTP,HTTPS', certConfig: { certName: 'x', certificate: '  -----BEGIN CERTIFICATE-----\r\n  SAME\r\n-----END CERTIFICATE-----', privateKey: null } });
    const m = mergeDomain({ desired: spec({ protocol: 'HTTP,HTTPS', certificate: cert, privateKey: 'K', routes: [{ path: '/*', function: 'web' }] }), remote: r, serviceName: SVC });
    assert.equal(m.action, 'unchanged');
  });
});
