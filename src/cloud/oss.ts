// The OSS code bucket, through ali-oss. With an emulator endpoint the client uses the IP form, which puts the
// bucket in the Host header (sdk-notes §3).
import type { Context } from '../core/context';
import { CloudError } from '../core/errors';
import type { CloudTarget } from './target';
import { cloudCall, httpTimeoutMs, uploadTimeoutMs } from './call';

type Ctx = Pick<Context, 'ui' | 'env'> | undefined;

export interface BucketInfo {
  name: string;
  location: string; // oss-cn-hangzhou
  owner?: string;
}

export class OssApi {
  private readonly endpoint: string;
  constructor(private readonly target: CloudTarget, private readonly ctx: Ctx) {
    this.endpoint = target.endpoints.oss;
  }

  /** `upload`: a long timeout, for the requests that carry code; every other call gets the short one. */
  client(bucket?: string, upload = false): any {
    const OSS = require('ali-oss');
    return new OSS({
      region: `oss-${this.target.region}`,
      accessKeyId: this.target.credentials.accessKeyId,
      accessKeySecret: this.target.credentials.accessKeySecret,
      stsToken: this.target.credentials.securityToken,
      bucket,
      endpoint: this.target.endpoint ? this.endpoint : undefined,
      secure: this.endpoint.startsWith('https'),
      timeout: upload ? uploadTimeoutMs(this.ctx?.env) : httpTimeoutMs(this.ctx?.env),
    });
  }

  call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return cloudCall(this.ctx, 'oss', operation, this.endpoint, fn);
  }

  async getBucketInfo(bucket: string): Promise<BucketInfo | undefined> {
    try {
      const r: any = await this.call('GetBucketInfo', () => this.client(bucket).getBucketInfo(bucket));
      return { name: r.bucket?.Name ?? bucket, location: r.bucket?.Location, owner: r.bucket?.Owner?.ID };
    } catch (err) {
      if (err instanceof CloudError && err.code === 'NoSuchBucket') return undefined;
      throw err;
    }
  }

  async putBucket(bucket: string): Promise<void> {
    await this.call('PutBucket', () => this.client(bucket).putBucket(bucket));
  }

  async headObject(bucket: string, key: string): Promise<Record<string, string> | undefined> {
    try {
      const r: any = await this.call('HeadObject', () => this.client(bucket).head(key));
      return r.res?.headers ?? {};
    } catch (err) {
      if (err instanceof CloudError && (err.code === 'NoSuchKey' || err.status === 404)) return undefined;
      throw err;
    }
  }

  /** Uploads a file; multipart (1 MiB parts, 5 in parallel) above 100 KB. */
  async uploadFile(bucket: string, key: string, file: string, onProgress?: (fraction: number) => void): Promise<void> {
    await this.call('PutObject', () =>
      this.client(bucket, true).multipartUpload(key, file, { partSize: 1024 * 1024, parallel: 5, progress: async (p: number) => onProgress?.(p) }),
    );
  }

  /** Every object name under prefix (follows the listing marker). Empty when the bucket does not exist. */
  async listObjects(bucket: string, prefix: string): Promise<string[]> {
    const out: string[] = [];
    let marker: string | undefined;
    try {
      do {
        const query: Record<string, string> = { prefix, 'max-keys': '1000' };
        if (marker) query.marker = marker;
        const r: any = await this.call('ListObjects', () => this.client(bucket).list(query, {}));
        for (const o of r.objects ?? []) out.push(String(o.name));
        marker = r.isTruncated ? r.nextMarker || undefined : undefined;
      } while (marker);
    } catch (err) {
      if (err instanceof CloudError && err.code === 'NoSuchBucket') return [];
      throw err;
    }
    return out;
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.call('DeleteObject', () => this.client(bucket).delete(key));
  }

  async deleteBucket(bucket: string): Promise<boolean> {
    try {
      await this.call('DeleteBucket', () => this.client(bucket).deleteBucket(bucket));
      return true;
    } catch (err) {
      if (err instanceof CloudError && err.code === 'NoSuchBucket') return false;
      throw err;
    }
  }
}
