/** Direct access to the test bucket, to inspect and damage what `recon run --remote` stored. */
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** s3rver accepts these fixed credentials; set before any client or CLI process starts. */
export function useTestCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = 'us-east-1';
  // Keeps the SDK from asking an instance-metadata address for credentials.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

export class TestBucket {
  private readonly client: S3Client;

  constructor(endpoint: string, readonly name: string) {
    this.client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  }

  /** Returns key -> ETag of every object under `prefix`. */
  async list(prefix = ''): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.name, Prefix: prefix, ContinuationToken: token }));
      for (const item of page.Contents ?? []) out[item.Key!] = item.ETag!;
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return out;
  }

  async get(key: string): Promise<Buffer> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
    return Buffer.from(await response.Body!.transformToByteArray());
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.name, Key: key, Body: body }));
  }

  async sha256(key: string): Promise<string> {
    return createHash('sha256').update(await this.get(key)).digest('hex');
  }

  close(): void {
    this.client.destroy();
  }
}
