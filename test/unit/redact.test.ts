import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, registerSecret } from '../../src/ui/redact';

test('secret values are replaced wherever they appear', () => {
  registerSecret('s3cr3t-value-123');
  assert.equal(redact('key s3cr3t-value-123 here'), 'key [redacted] here');
});

test('value-shaped secrets are redacted: JSON fields, query pairs, headers, signatures, PEM keys', () => {
  assert.equal(redact('{"accessKeySecret":"abc123xyz"}'), '{"accessKeySecret":"[redacted]"}');
  assert.equal(redact('?SecurityToken=tok%2Fen&x=1'), '?SecurityToken=[redacted]&x=1');
  assert.equal(redact('x-fc-security-token: tokvalue'), 'x-fc-security-token: [redacted]');
  assert.equal(redact('/?Action=GetRole&Signature=abc%3D'), '/?Action=GetRole&Signature=[redacted]');
  assert.equal(redact('authorization: FC fcx-local-key:c2lnbmF0dXJl'), 'authorization: FC fcx-local-key:[redacted]');
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----';
  assert.equal(redact(pem), '-----BEGIN PRIVATE KEY----- [redacted] -----END PRIVATE KEY-----');
});

test('prose that names a setting stays readable', () => {
  const msg = 'protocol HTTPS needs certificate: and privateKey: (paths or PEM text)';
  assert.equal(redact(msg), msg);
});
