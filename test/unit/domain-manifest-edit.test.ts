// fcx domain bind/unbind edit fcx.yaml by splicing text: every line they do not own stays byte for byte.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { deleteInText, setInText } from '../../src/domain/manifest-edit';

const COMMENTED = `# yaml-language-server: $schema=./node_modules/fcx/schema/fcx.schema.json
# The hello app.   Keep this comment exactly as it is.
name: hello-api          # the app
region: cn-hangzhou

service:
  role: auto        # aligned comment
  logs: auto        # another aligned comment

functions:
  web:
    runtime: python3.10
    handler: index.handler      # index.py
    env: { GREETING: "hello, world", EMPTY: '' }
    http:
      auth: anonymous
      methods: [GET,POST,   OPTIONS]   # odd spacing on purpose
  api:
    runtime: nodejs18
    handler: index.handler
    http: {auth: anonymous}

# Domains below.
domains:
    api.example.com:            # four-space indent here on purpose
        protocol: HTTP
        routes:
            /*: web             # catch-all
            "/api/*": api

# trailing comment
`;

/** The lines of `after` that are not in `before` (before must be a subsequence of after). */
function addedLines(before: string, after: string): string[] {
  const b = before.split('\n');
  const a = after.split('\n');
  const added: string[] = [];
  let i = 0;
  for (const line of a) {
    if (i < b.length && line === b[i]) i++;
    else added.push(line);
  }
  assert.equal(i, b.length, `every original line must still be there, in order; missing from line ${i + 1}: ${JSON.stringify(b[i])}`);
  return added;
}

describe('setInText', () => {
  test('a new route in an existing domain adds one line at the routes indentation, nothing else changes', () => {
    const after = setInText(COMMENTED, ['domains', 'api.example.com', 'routes', '/health'], 'web');
    assert.deepEqual(addedLines(COMMENTED, after), ['            /health: web']);
    assert.equal(YAML.parse(after).domains['api.example.com'].routes['/health'], 'web');
  });

  test('a new domain goes at the end of domains:, indented the way that block is', () => {
    const after = setInText(COMMENTED, ['domains', 'www.example.com', 'routes', '/*'], { function: 'web', methods: ['GET', 'HEAD'] });
    assert.deepEqual(addedLines(COMMENTED, after), ['    www.example.com:', '        routes:', '            /*:', '                function: web', '                methods: [GET, HEAD]']);
    assert.deepEqual(YAML.parse(after).domains['www.example.com'].routes['/*'], { function: 'web', methods: ['GET', 'HEAD'] });
  });

  test('replacing a scalar route keeps the comment after it', () => {
    const after = setInText(COMMENTED, ['domains', 'api.example.com', 'routes', '/*'], 'api');
    assert.equal(after, COMMENTED.replace('/*: web             # catch-all', '/*: api             # catch-all'));
  });

  test('replacing a scalar route by a mapping rewrites only that entry', () => {
    const after = setInText(COMMENTED, ['domains', 'api.example.com', 'routes', '/api/*'], { function: 'api', methods: ['GET'] });
    const lines = after.split('\n');
    const i = lines.indexOf('            "/api/*":');
    assert.ok(i > 0, after);
    assert.deepEqual(lines.slice(i, i + 3), ['            "/api/*":', '                function: api', '                methods: [GET]']);
    assert.equal(after.replace(/            "\/api\/\*":\n.*\n.*\n/, '            "/api/*": api\n'), COMMENTED);
  });

  test('domains: added to a file without it goes at the end, after a blank line', () => {
    const base = '# app\nname: x   # keep\nfunctions:\n  web: {runtime: python3.10, handler: index.handler, http: {}}\n';
    const after = setInText(base, ['domains', 'a.example.com', 'routes', '/*'], 'web');
    assert.equal(after, base + '\ndomains:\n  a.example.com:\n    routes:\n      /*: web\n');
  });

  test('an empty domains: key is filled in place', () => {
    const base = 'name: x\ndomains:   # none yet\nfunctions: {}\n';
    const after = setInText(base, ['domains', 'a.example.com', 'routes', '/*'], 'web');
    assert.deepEqual(YAML.parse(after).domains, { 'a.example.com': { routes: { '/*': 'web' } } });
    assert.ok(after.startsWith('name: x\n'));
    assert.ok(after.endsWith('functions: {}\n'));
  });

  test('protocol and certificate keys are added under the domain', () => {
    let after = setInText(COMMENTED, ['domains', 'api.example.com', 'protocol'], 'HTTPS');
    assert.equal(after, COMMENTED.replace('protocol: HTTP\n', 'protocol: HTTPS\n'));
    after = setInText(after, ['domains', 'api.example.com', 'certificate'], './certs/full chain.pem');
    assert.deepEqual(addedLines(COMMENTED.replace('protocol: HTTP\n', 'protocol: HTTPS\n'), after), ['        certificate: ./certs/full chain.pem']);
    assert.equal(YAML.parse(after).domains['api.example.com'].certificate, './certs/full chain.pem');
  });

  test('a file without a final newline', () => {
    const base = 'name: x\ndomains:\n  a.example.com:\n    routes:\n      /*: web';
    assert.equal(setInText(base, ['domains', 'a.example.com', 'routes', '/b'], 'web'), base + '\n      /b: web\n');
  });

  test('CRLF line ends are kept on the lines around the edit', () => {
    const base = 'name: x\r\ndomains:\r\n  a.example.com:\r\n    routes:\r\n      /*: web\r\n';
    const after = setInText(base, ['domains', 'a.example.com', 'routes', '/b'], 'web');
    assert.equal(after, base + '      /b: web\r\n');
    assert.deepEqual(YAML.parse(after).domains['a.example.com'].routes, { '/*': 'web', '/b': 'web' });
  });

  test('a flow-style domains map still gets the value (yaml printer fallback)', () => {
    const base = 'name: x\ndomains: {a.example.com: {routes: {/*: web}}}\n';
    const after = setInText(base, ['domains', 'a.example.com', 'routes', '/b'], 'web');
    assert.deepEqual(YAML.parse(after).domains['a.example.com'].routes, { '/*': 'web', '/b': 'web' });
  });
});

describe('deleteInText', () => {
  test('removing one route removes exactly its line', () => {
    const after = deleteInText(COMMENTED, ['domains', 'api.example.com', 'routes', '/api/*']);
    assert.equal(after, COMMENTED.replace('            "/api/*": api\n', ''));
  });

  test('removing the only domain removes domains: too, comments around stay', () => {
    const after = deleteInText(COMMENTED, ['domains', 'api.example.com']);
    assert.ok(!/^domains:/m.test(after));
    assert.ok(after.includes('# Domains below.\n'));
    assert.ok(after.endsWith('# trailing comment\n'));
    assert.deepEqual(addedLines(after, COMMENTED).filter((l) => l.trim()), [
      'domains:',
      '    api.example.com:            # four-space indent here on purpose',
      '        protocol: HTTP',
      '        routes:',
      '            /*: web             # catch-all',
      '            "/api/*": api',
    ]);
  });

  test('a path that is not there leaves the text as it is', () => {
    assert.equal(deleteInText(COMMENTED, ['domains', 'nope.example.com']), COMMENTED);
  });
});
