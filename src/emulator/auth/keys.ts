// Which secret signs a request: the emulator's root key, or a temporary STS key that the STS service (AssumeRole)
// or the FC service (function credentials) stored in the `sts-credentials` collection.
import type { EmulatorConfig, Identity, Store } from '../types';

export const STS_COLLECTION = 'sts-credentials';

export interface StsCredential {
  accessKeySecret: string;
  securityToken: string;
  accountId: string;
  expiration: string; // ISO
}

export type KeyLookup =
  | { ok: true; secret: string; identity: Identity }
  | { ok: false; reason: 'unknown-key' | 'token-missing' | 'token-mismatch' | 'token-expired' };

/** Resolves an access key id, checking the security token that came with it (undefined when none was sent). */
export function lookupKey(store: Store, config: EmulatorConfig, accessKeyId: string, securityToken: string | undefined): KeyLookup {
  if (accessKeyId === config.accessKeyId) {
    return { ok: true, secret: config.accessKeySecret, identity: { accessKeyId, accountId: config.accountId, kind: 'root' } };
  }
  const sts = store.get<StsCredential>(STS_COLLECTION, accessKeyId);
  if (!sts) return { ok: false, reason: 'unknown-key' };
  if (Date.parse(sts.expiration) <= Date.now()) return { ok: false, reason: 'token-expired' };
  if (!securityToken) return { ok: false, reason: 'token-missing' };
  if (securityToken !== sts.securityToken) return { ok: false, reason: 'token-mismatch' };
  return { ok: true, secret: sts.accessKeySecret, identity: { accessKeyId, accountId: sts.accountId, kind: 'sts', securityToken } };
}

/** Clock skew the clouds tolerate between the signer and the server. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
