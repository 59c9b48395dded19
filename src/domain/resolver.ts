// The DNS lookups `fcx domain verify` makes, behind a small interface so tests (and people debugging offline)
// can swap the resolver: setDnsResolver() in-process, or FCX_DNS_FIXTURE=<file.json> for a child process.
// Fixture format: { "api.example.com": { "CNAME": ["x.example.net"], "A": ["192.0.2.1"], "AAAA": [] }, … }
import { readFileSync } from 'node:fs';

export interface DnsResolver {
  resolveCname(name: string): Promise<string[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  /** Where the answers come from, for the report ("system resolver", "fixture file …"). */
  readonly source: string;
}

let override: DnsResolver | undefined;

/** Replace the resolver for this process (tests); undefined restores the default. */
export function setDnsResolver(r: DnsResolver | undefined): void {
  override = r;
}

type FixtureEntry = { CNAME?: string[]; A?: string[]; AAAA?: string[] };

export function fixtureResolver(table: Record<string, FixtureEntry>, source = 'fixture'): DnsResolver {
  const entry = (name: string) => table[name.toLowerCase().replace(/\.$/, '')] ?? {};
  return {
    source,
    resolveCname: async (n) => entry(n).CNAME ?? [],
    // Like a real resolver, an A lookup follows the CNAME chain.
    resolve4: async (n) => follow(table, n, 'A'),
    resolve6: async (n) => follow(table, n, 'AAAA'),
  };
}

function follow(table: Record<string, FixtureEntry>, name: string, kind: 'A' | 'AAAA'): string[] {
  let cur = name.toLowerCase().replace(/\.$/, '');
  for (let hops = 0; hops < 10; hops++) {
    const e = table[cur] ?? {};
    if (e[kind]?.length) return e[kind]!;
    if (!e.CNAME?.length) return [];
    cur = e.CNAME[0].toLowerCase().replace(/\.$/, '');
  }
  return [];
}

/** "no such record" answers are empty lists; other failures (timeouts, refused) are thrown. */
const EMPTY = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN', 'ENONAME']);

function systemResolver(): DnsResolver {
  const { Resolver } = require('node:dns/promises') as typeof import('node:dns/promises');
  const r = new Resolver({ timeout: 3000, tries: 2 });
  const wrap = (fn: (n: string) => Promise<string[]>) => async (n: string) => {
    try {
      return await fn(n);
    } catch (err) {
      if (EMPTY.has((err as NodeJS.ErrnoException).code ?? '')) return [];
      throw err;
    }
  };
  return {
    source: 'system resolver',
    resolveCname: wrap((n) => r.resolveCname(n)),
    resolve4: wrap((n) => r.resolve4(n)),
    resolve6: wrap((n) => r.resolve6(n)),
  };
}

export function getDnsResolver(env: NodeJS.ProcessEnv = process.env): DnsResolver {
  if (override) return override;
  const file = env.FCX_DNS_FIXTURE;
  if (file) return fixtureResolver(JSON.parse(readFileSync(file, 'utf8')) as Record<string, FixtureEntry>, `fixture ${file}`);
  return systemResolver();
}
