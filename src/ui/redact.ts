// Secrets never reach output, logs or errors. Known secret values are registered as they are loaded
// (credentials, certificate keys); patterns catch the rest.
const secrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) secrets.add(value);
}

// Only value-shaped contexts are rewritten (JSON fields, query/ini pairs, headers), so prose that merely names a
// setting ("needs certificate: and privateKey:") stays readable.
const SECRET_KEYS = 'accessKeySecret|AccessKeySecret|access_key_secret|securityToken|SecurityToken|security_token|privateKey|PrivateKey|private_key';
const PATTERNS: Array<[RegExp, string]> = [
  [/(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g, '$1 [redacted] $2'],
  [new RegExp(`("(?:${SECRET_KEYS})"\\s*:\\s*")([^"]+)`, 'g'), '$1[redacted]'],
  [new RegExp(`((?:${SECRET_KEYS})=)([^&\\s"']+)`, 'g'), '$1[redacted]'],
  [/((?:x-fc-access-key-secret|x-fc-security-token|x-oss-security-token|x-acs-security-token)["']?\s*[:=]\s*["']?)([^"'\s,]+)/gi, '$1[redacted]'],
  [/(Signature=)[^&\s]+/g, '$1[redacted]'],
  [/((?:authorization)["']?\s*[:=]\s*["']?(?:FC|OSS|LOG|OSS4-HMAC-SHA256)\s+[^:\s]+:)[^"'\s,]+/gi, '$1[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}
