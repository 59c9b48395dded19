// Environment variable values reach FC as the exact text written, and ${env:…} substitution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate } from '../../src/manifest/interpolate';
import { closest, levenshtein } from '../../src/manifest/suggest';
import { lines, load, MINIMAL, problemsOf } from './manifest-fixtures';

// [YAML value as written, the exact string FC must receive]
const EXACT: [string, string][] = [
  ['0.10', '0.10'],
  ['007', '007'],
  ['true', 'true'],
  ['False', 'False'],
  ['1e3', '1e3'],
  ['0x1F', '0x1F'],
  ['0o17', '0o17'],
  ['-0', '-0'],
  ['+12', '+12'],
  ['.inf', '.inf'],
  ['1_000', '1_000'],
  ['12:30', '12:30'],
  ['hello', 'hello'],
  ['"a=b;c"', 'a=b;c'],
  ['a=b;c', 'a=b;c'],
  ['"say \\"hi\\""', 'say "hi"'],
  ["'it''s'", "it's"],
  ['"007"', '007'],
  ['""', ''],
  ["''", ''],
  ['中文', '中文'],
  ['"emoji 🚀"', 'emoji 🚀'],
  ['a # not part', 'a'],
  ['"#hash"', '#hash'],
  ['postgres://u:p@h:5432/db?x=1', 'postgres://u:p@h:5432/db?x=1'],
  ['"  padded  "', '  padded  '],
];

test('env values are the exact text written (numbers, booleans, quotes, = ; and non-ASCII)', async () => {
  const yaml = MINIMAL + '    env:\n' + EXACT.map(([v], i) => `      V${i}: ${v}\n`).join('');
  const m = await load(yaml);
  const env = m.functions[0].env;
  EXACT.forEach(([written, expected], i) => assert.equal(env[`V${i}`], expected, `V${i}: ${written}`));
  assert.ok(Object.values(env).every((v) => typeof v === 'string'));
});

test('block scalars keep their newlines', async () => {
  const m = await load(MINIMAL + '    env:\n      TEXT: |\n        line 1\n        line 2\n      FOLDED: >-\n        a\n        b\n');
  assert.equal(m.functions[0].env.TEXT, 'line 1\nline 2\n');
  assert.equal(m.functions[0].env.FOLDED, 'a b');
});

test('null env values are refused at their position', async () => {
  const p = await problemsOf(MINIMAL + '    env:\n      A: null\n      B: ~\n      C:\n');
  assert.deepEqual(lines(p), [
    '7:10 functions.web.env.A: has no value; write "" for an empty string',
    '8:10 functions.web.env.B: has no value; write "" for an empty string',
    '9:7 functions.web.env.C: has no value; write "" for an empty string',
  ]);
});

test('${env:NAME} values from the environment are exact strings too', async () => {
  const env = { RATE: '0.10', CODE: '007', FLAG: 'true', SQL: 'a=b;c', Q: `"quoted" 'x'`, ZH: '中文', EMPTY: '' };
  const m = await load(
    MINIMAL +
      `    env:
      RATE: \${env:RATE}
      CODE: \${env:CODE}
      FLAG: "\${env:FLAG}"
      SQL: \${env:SQL}
      Q: \${env:Q}
      ZH: pre-\${env:ZH}-post
      DEF: \${env:UNSET:-1e3}
      DEF_EMPTY: \${env:EMPTY:-fallback}
      EMPTY: \${env:EMPTY}
      NO_DEFAULT: \${env:UNSET:-}
      LITERAL: $\${env:RATE}
      OTHER: \${HOME}
`,
    { env },
  );
  assert.deepEqual(m.functions[0].env, {
    RATE: '0.10',
    CODE: '007',
    FLAG: 'true',
    SQL: 'a=b;c',
    Q: `"quoted" 'x'`,
    ZH: 'pre-中文-post',
    DEF: '1e3',
    DEF_EMPTY: 'fallback',
    EMPTY: '',
    NO_DEFAULT: '',
    LITERAL: '${env:RATE}',
    OTHER: '${HOME}',
  });
});

test('substituted values are validated like written ones', async () => {
  const m = await load(MINIMAL.replace('name: hello-api', 'name: ${env:APP}') + '    memory: ${env:MEM:-512}\n', { env: { APP: 'from-env' } });
  assert.equal(m.name, 'from-env');
  assert.equal(m.functions[0].memory, 512);

  const p = await problemsOf(MINIMAL + '    memory: ${env:MEM}\n    timeout: ${env:T}\n', { env: { MEM: '100' } });
  assert.deepEqual(lines(p), [
    '6:13 functions.web.memory: expected a number of MB, a multiple of 64 from 128 to 32768, got 100',
    '7:14 functions.web.timeout: environment variable T is not set; set it, or give a default with ${env:T:-value}',
  ]);
});

test('malformed ${env:…} is reported', async () => {
  const p = await problemsOf(MINIMAL + '    env:\n      A: ${env:1BAD}\n      B: "${env:OPEN"\n');
  assert.deepEqual(lines(p), [
    '7:10 functions.web.env.A: "${env:1BAD}" does not name a variable; write ${env:NAME} or ${env:NAME:-default}',
    '8:10 functions.web.env.B: unclosed "${env:" in "${env:OPEN"; write ${env:NAME} or ${env:NAME:-default}',
  ]);
});

test('interpolate(): unit cases', () => {
  assert.deepEqual(interpolate('${env:A}/${env:B:-x}', { A: '1' }), { value: '1/x', errors: [], used: ['A', 'B'] });
  assert.equal(interpolate('a:-b ${env:A:-x:-y}', {}).value, 'a:-b x:-y');
  assert.equal(interpolate('$${env:A}', { A: '1' }).value, '${env:A}');
  assert.equal(interpolate('no vars', {}).value, 'no vars');
  assert.equal(interpolate('${env:A}', {}).errors.length, 1);
});

test('did-you-mean: levenshtein and closest', () => {
  assert.equal(levenshtein('memroy', 'memory'), 2);
  assert.equal(levenshtein('', 'abc'), 3);
  assert.equal(closest('memroy', ['runtime', 'memory', 'timeout']), 'memory');
  assert.equal(closest('Handler', ['handler', 'http']), 'handler');
  assert.equal(closest('zzzzzz', ['memory', 'timeout']), undefined);
});
