/**
 * The bucket side of the shared cache: objects and run records in an S3-compatible store, laid
 * out as the local cache is: `<prefix>/objects/<aa>/<rest>` and `<prefix>/runs/<key>.json`.
 * The AWS SDK is imported on first use, so runs without `--remote` never load it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../errors.js';

export interface RemoteLocation {
  bucket: string;
  /** Key prefix without leading or trailing slashes; empty for the bucket's root. */
  prefix: string;
}

/** Parses `s3://bucket/prefix`; raises InputError naming the flag for anything else. */
export function parseRemoteUrl(url: string): RemoteLocation {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(url);
  if (match === null) {
    throw new InputError(`--remote expects s3://BUCKET/PREFIX with a lowercase bucket name; found "${url}".`, {
      value: url, hint: 'for example --remote s3://recon-cache/team --endpoint http://127.0.0.1:9000',
    });
  }
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/** Checks an endpoint URL; S3 has no default endpoint here, so that no request leaves by accident. */
export function parseEndpoint(endpoint: string | undefined): string {
  if (endpoint === undefined || endpoint === '') {
    throw new InputError('--remote needs --endpoint, the URL of the S3-compatible service.', {
      hint: 'for example --endpoint http://127.0.0.1:9000, or https://s3.eu-central-1.amazonaws.com for AWS',
    });
  }
  if (!/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new InputError(`--endpoint expects an http:// or https:// URL; found "${endpoint}".`, { value: endpoint, hint: 'for example --endpoint http://127.0.0.1:9000' });
  }
  return endpoint;
}

/** Result of a verified download. */
export type Download = 'ok' | 'missing' | 'corrupt';

/** Raw object and record access in one bucket under one prefix. Credentials come from the AWS SDK's usual chain. */
export class S3Bucket {
  private constructor(
    private readonly client: S3Client,
    private readonly sdk: typeof import('@aws-sdk/client-s3'),
    readonly location: RemoteLocation,
  ) {}

  static async open(url: string, endpoint: string | undefined): Promise<S3Bucket> {
    const location = parseRemoteUrl(url);
    const checkedEndpoint = parseEndpoint(endpoint);
    // The pinned SDK works on Node 20; its notice about later SDK versions would only clutter the run's output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const sdk = await import('@aws-sdk/client-s3');
    // Path-style URLs work with every S3-compatible server. Checksums are sent and checked only where
    // S3 requires them, because servers such as s3rver do not support the SDK's newer default ones.
    const client = new sdk.S3Client({
      endpoint: checkedEndpoint, forcePathStyle: true, region: process.env.AWS_REGION ?? 'us-east-1',
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3Bucket(client, sdk, location);
  }

  private objectKey(hash: string): string {
    return this.keyOf(`objects/${hash.slice(0, 2)}/${hash.slice(2)}`);
  }

  private recordKey(key: string): string {
    return this.keyOf(`runs/${key}.json`);
  }

  private keyOf(path: string): string {
    return this.location.prefix === '' ? path : `${this.location.prefix}/${path}`;
  }

  /** Returns the parsed record JSON of `key`, or undefined when absent or not valid JSON. */
  async getRecord(key: string): Promise<unknown> {
    const body = await this.get(this.recordKey(key));
    if (body === undefined) return undefined;
    try {
      return JSON.parse(await body.transformToString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Downloads object `hash` to `dest`, hashing on the way; a mismatching file is deleted. */
  async download(hash: string, dest: string): Promise<Download> {
    const body = await this.get(this.objectKey(hash));
    if (body === undefined) return 'missing';
    const hasher = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hasher.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(body as unknown as Readable, tap, createWriteStream(dest));
    if (hasher.digest('hex') === hash) return 'ok';
    rmSync(dest, { force: true });
    return 'corrupt';
  }

  async hasObject(hash: string): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(hash) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async uploadObject(hash: string, path: string, size: number): Promise<void> {
    await this.client.send(new this.sdk.PutObjectCommand({
      Bucket: this.location.bucket, Key: this.objectKey(hash), Body: createReadStream(path), ContentLength: size,
    }));
  }

  async uploadRecord(key: string, text: string): Promise<void> {
    await this.client.send(new this.sdk.PutObjectCommand({
      Bucket: this.location.bucket, Key: this.recordKey(key), Body: text, ContentType: 'application/json',
    }));
  }

  close(): void {
    this.client.destroy();
  }

  private async get(key: string): Promise<(Readable & { transformToString(encoding?: string): Promise<string> }) | undefined> {
    try {
      const response = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
      return response.Body as Readable & { transformToString(encoding?: string): Promise<string> };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}
