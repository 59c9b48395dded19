// OSS service (stub while being built).
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, Store } from '../types';

export function createOssService(deps: { store: Store; config: EmulatorConfig }) {
  void deps;
  return {
    async handle(req: EmuRequest, identity: Identity): Promise<EmuResponse> {
      void req; void identity;
      return { status: 501, body: '', action: 'Unknown', errorCode: 'NotImplemented' };
    },
  };
}

export interface BucketInfo { name: string; ownerAccountId: string; location: string; createdAt: string }
export function getBucket(store: Store, bucket: string): BucketInfo | undefined { return store.get<BucketInfo>('oss-buckets', bucket); }
export function readObject(store: Store, bucket: string, key: string): Buffer | undefined { void store; void bucket; void key; return undefined; }
export function bucketFromRequest(req: Pick<EmuRequest, 'host' | 'path'>): string | undefined { void req; return undefined; }
