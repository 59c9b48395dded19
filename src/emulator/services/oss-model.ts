// OSS state in the Store: what is kept and the helpers other services (FC reads code from OSS) call.
//   collection "oss-buckets"  key <bucket>                 → BucketRecord
//   collection "oss-objects"  key <bucket>/<object key>    → ObjectRecord (bytes in blob record.blobId)
//   collection "oss-uploads"  key <uploadId>               → UploadRecord (parts in blobs, listed in record.parts)
import type { Store } from '../types';

export interface BucketRecord {
  name: string;
  ownerAccountId: string;
  location: string; // "oss-cn-hangzhou"
  createdAt: string; // ISO
  storageClass: string;
  acl: string;
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  blobId: string;
  size: number;
  etag: string; // with quotes, as OSS sends it
  crc64: string;
  contentType: string;
  meta: Record<string, string>; // x-oss-meta-* without the prefix, lower-case names
  lastModified: string; // ISO
  type: 'Normal' | 'Multipart';
}

export interface PartRecord {
  blobId: string;
  etag: string;
  size: number;
  md5: string; // hex
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  contentType: string;
  meta: Record<string, string>;
  parts: Record<string, PartRecord>; // by part number
}

export const BUCKETS = 'oss-buckets';
export const OBJECTS = 'oss-objects';
export const UPLOADS = 'oss-uploads';

export const objectDocKey = (bucket: string, key: string) => `${bucket}/${key}`;

/** The bucket record (owner account id, location "oss-<region>", …), or undefined. */
export function getBucket(store: Store, bucket: string): BucketRecord | undefined {
  return store.get<BucketRecord>(BUCKETS, bucket);
}

/** The object's metadata, or undefined. */
export function getObjectRecord(store: Store, bucket: string, key: string): ObjectRecord | undefined {
  return store.get<ObjectRecord>(OBJECTS, objectDocKey(bucket, key));
}

/** The object's bytes, or undefined when the bucket or object does not exist. */
export function readObject(store: Store, bucket: string, key: string): Buffer | undefined {
  const rec = getObjectRecord(store, bucket, key);
  if (!rec || !store.hasBlob(rec.blobId)) return undefined;
  return store.readBlob(rec.blobId);
}
