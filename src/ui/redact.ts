// Secrets never reach output, logs or errors. Known secret values are registered as they are loaded
// (credentials, certificate keys); patterns catch the rest.
const secrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) secrets.add(value);
}

const PATTERNS: Array<[RegExp, string]> = [
  [/(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g, '$1 [redacted] $2'],
  [/((?:access[-_]?key[-_]?secret|accessKeySecret|SecurityToken|security[-_]token|x-fc-access-key-secret|x-fc-security-token|privateKey)["']?\s*[:=]\s*["']?)([^"'\s,&}]+)/gi, '$1[redacted]'],
  [/(Signature=)[^&\s]+/g, '$1[redacted]'],
  [/((?:authorization)["']?\s*[:=]\s*["']?(?:FC|OSS|LOG|OSS4-HMAC-SHA256)\s+[^:\s]+:)[^"'\s,]+/gi, '$1[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}
