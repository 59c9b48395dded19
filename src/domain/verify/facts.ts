// What `fcx domain verify` looks at, gathered once (DNS, FC, fcx.yaml); diagnose.ts judges it without I/O.
import type { CertCheck } from '../certificate';
import type { RemoteRoute } from '../merge';

export interface VerifyFacts {
  domain: string;
  region: string;
  accountId: string;
  /** The emulator (or another custom endpoint): it serves the domain by Host header whatever DNS says. */
  local: boolean;
  endpoint?: string;
  /** Flags to repeat in suggested commands (" --local" when the user targets the emulator with --local). */
  cliFlags: string;
  expectedCname: string;
  now: string; // ISO time the facts were taken
  dns: {
    source: string;
    cnameChain: string[]; // domain → first CNAME → …
    a: string[];
    aaaa: string[];
    expectedA: string[]; // what the FC endpoint resolves to (to recognise a flattened CNAME)
    error?: string;
  };
  serviceName?: string;
  remote: {
    exists: boolean;
    protocol?: string;
    routes: RemoteRoute[];
    certificate?: CertCheck & { certName?: string };
  };
  manifest?: {
    present: boolean; // the domain is in fcx.yaml
    protocol?: string;
    routes: Array<{ path: string; function: string }>;
    inSync: boolean; // FC has what fcx.yaml says (routes, certificate)
    certificate?: CertCheck;
    source?: string;
  };
}
