// Certificates and keys in fcx.yaml are either a file path or the PEM text itself. Inline PEM may come
// indented, folded by YAML into one line, or with CRLF; every block is rebuilt in canonical form.

export function looksLikePem(s: string): boolean {
  return s.includes('-----BEGIN ');
}

/** Canonical PEM: each block's base64 body re-wrapped at 64 columns, LF line ends, one trailing newline. */
export function normalizePem(s: string): string {
  const blocks: string[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const label = m[1];
    // Keep RFC 1421 headers (Proc-Type, DEK-Info of old encrypted keys) as they are.
    const lines = m[2].split(/\r?\n/).map((l) => l.trim());
    const headers = lines.filter((l) => /^[A-Za-z-]+: /.test(l));
    const body = lines.filter((l) => !/^[A-Za-z-]+: /.test(l)).join('').replace(/\s+/g, '');
    const wrapped = body.match(/.{1,64}/g) ?? [];
    blocks.push([`-----BEGIN ${label}-----`, ...headers, ...(headers.length ? [''] : []), ...wrapped, `-----END ${label}-----`].join('\n'));
  }
  return blocks.length ? blocks.join('\n') + '\n' : s.trim() + '\n';
}

export function pemLabels(s: string): string[] {
  return [...s.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
}
