import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import { fetchUrlData, findInMirror, urlFileName, type DownloadOptions } from '../../src/data/download.js';
import { expectInputError, ingest } from './helpers.js';

const CSV = 'a,b,label\n1,2,x\n2,3,x\n3,5,x\n4,4,y\n5,1,y\n6,0,y\n';
const CSV_SHA = sha256Hex(CSV);
const ZIP = zipSync({ 'data/table.csv': strToU8(CSV), 'README.txt': strToU8('about') });
const ZIP_SHA = sha256Hex(ZIP);

let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/files/table.csv') response.end(CSV);
    else if (request.url === '/files/archive.zip') response.end(Buffer.from(ZIP));
    else {
      response.statusCode = 404;
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

function options(extra: Partial<DownloadOptions> = {}): DownloadOptions & { logs: string[] } {
  const logs: string[] = [];
  return { downloadDir: mkdtempSync(join(tmpdir(), 'recon-dl-')), offline: false, log: (m) => logs.push(m), logs, ...extra };
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('download', () => {
  test('file downloaded then reused', async () => {
    const opts = options();
    const spec = { url: `${base}/files/table.csv`, sha256: CSV_SHA };
    const first = await fetchUrlData(spec, opts);
    expect(decode(first.bytes)).toBe(CSV);
    const second = await fetchUrlData(spec, opts);
    expect(decode(second.bytes)).toBe(CSV);
    expect(requests).toEqual(['/files/table.csv']);
    expect(opts.logs.at(-1)).toMatch(/Using cached download/);
    expect(readdirSync(opts.downloadDir)).toEqual([first.file.split('/').pop()]);
  });

  test('zip member extracted and reused', async () => {
    const opts = options();
    const spec = { url: `${base}/files/archive.zip`, member: 'data/table.csv', sha256: CSV_SHA, archiveSha256: ZIP_SHA };
    const first = await fetchUrlData(spec, opts);
    expect(decode(first.bytes)).toBe(CSV);
    expect(first.file).toMatch(/archive\.zip!\/data\/table\.csv$/);
    await fetchUrlData({ ...spec, member: 'table.csv' }, opts);
    expect(requests).toEqual(['/files/archive.zip']);
  });

  test('download checksum mismatch', async () => {
    const opts = options();
    const wrong = 'f'.repeat(64);
    await expectInputError(fetchUrlData({ url: `${base}/files/table.csv`, sha256: wrong }, opts), [new RegExp(`expected sha256 ${wrong}, got ${CSV_SHA}`)]);
    // The rejected file is not kept, so the next call downloads again.
    expect(readdirSync(opts.downloadDir)).toEqual([]);
  });

  test('archive checksum mismatch', async () => {
    const wrong = 'e'.repeat(64);
    const spec = { url: `${base}/files/archive.zip`, member: 'table.csv', sha256: CSV_SHA, archiveSha256: wrong };
    await expectInputError(fetchUrlData(spec, options()), [new RegExp(`expected archiveSha256 ${wrong}, got ${ZIP_SHA}`)]);
  });

  test('missing zip member', async () => {
    const spec = { url: `${base}/files/archive.zip`, member: 'other.csv', sha256: CSV_SHA };
    await expectInputError(fetchUrlData(spec, options()), [/no file named "other.csv"/, /data\/table\.csv, README\.txt/]);
  });

  test('corrupt cache downloaded again', async () => {
    const opts = options();
    const spec = { url: `${base}/files/table.csv`, sha256: CSV_SHA };
    const first = await fetchUrlData(spec, opts);
    writeFileSync(first.file, 'tampered');
    const second = await fetchUrlData(spec, opts);
    expect(decode(second.bytes)).toBe(CSV);
    expect(requests).toHaveLength(2);
    expect(opts.logs.join('\n')).toMatch(/does not match its checksum; downloading again/);
  });

  test('http error names url', async () => {
    const url = `${base}/files/absent.csv`;
    await expectInputError(fetchUrlData({ url, sha256: CSV_SHA }, options()), [new RegExp(`Download of ${url} failed: HTTP 404`), /RECON_DATA_DIR .* absent\.csv/]);
  });

  test('refused connection names url', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/files/table.csv`;
    await expectInputError(fetchUrlData({ url, sha256: CSV_SHA }, options()), [new RegExp(`Download of ${url} failed: ECONNREFUSED`), /RECON_DATA_DIR/]);
  });

  test('stalled server times out', async () => {
    const stalled = createServer(() => {});
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/slow.csv`;
    try {
      await expectInputError(fetchUrlData({ url, sha256: CSV_SHA }, options({ timeoutMs: 200 })), [/failed: timed out after 0.2 s/]);
    } finally {
      stalled.closeAllConnections();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });

  test('offline without mirror', async () => {
    const url = `${base}/files/table.csv`;
    await expectInputError(fetchUrlData({ url, sha256: CSV_SHA }, options({ offline: true })), [new RegExp(`Cannot read ${url}`), /RECON_DATA_DIR is not set/, /table\.csv/]);
    expect(requests).toEqual([]);
  });

  test('ingest from loopback zip', async () => {
    const spec = { url: `${base}/files/archive.zip`, member: 'table.csv', sha256: CSV_SHA, target: { column: 'label' } };
    const run = await ingest(spec, { offline: false });
    expect(run.dataset.summary.source).toBe(spec.url);
    expect(run.dataset.summary.sha256).toBe(CSV_SHA);
    expect(run.dataset.train.n + run.dataset.test.n).toBe(6);
  });
});

describe('mirror', () => {
  const mirror = mkdtempSync(join(tmpdir(), 'recon-mirror-'));
  mkdirSync(join(mirror, 'b', 'deep'), { recursive: true });
  mkdirSync(join(mirror, 'a'), { recursive: true });
  writeFileSync(join(mirror, 'b', 'deep', 'table.csv'), CSV);
  writeFileSync(join(mirror, 'a', 'other.csv'), CSV);
  writeFileSync(join(mirror, 'archive.zip'), ZIP);

  test('url file name', () => {
    expect(urlFileName('http://127.0.0.1/x/sirtuin6+small+molecules-1.zip?download=1')).toBe('sirtuin6+small+molecules-1.zip');
    expect(urlFileName('http://127.0.0.1/a%20b.csv')).toBe('a b.csv');
  });

  test('finds nested file by name', async () => {
    expect(await findInMirror(mirror, 'table.csv')).toBe(join(mirror, 'b', 'deep', 'table.csv'));
    expect(await findInMirror(mirror, 'absent.csv')).toBeUndefined();
  });

  test('mirror hit skips the network', async () => {
    const opts = options({ dataDir: mirror, offline: true });
    const data = await fetchUrlData({ url: `${base}/elsewhere/table.csv`, sha256: CSV_SHA }, opts);
    expect(decode(data.bytes)).toBe(CSV);
    expect(data.file).toBe(join(mirror, 'b', 'deep', 'table.csv'));
    expect(requests).toEqual([]);
  });

  test('member name found in mirror', async () => {
    const opts = options({ dataDir: mirror, offline: true });
    const data = await fetchUrlData({ url: `${base}/nothing/archive.zip`, member: 'data/table.csv', sha256: CSV_SHA }, opts);
    expect(data.file).toBe(join(mirror, 'b', 'deep', 'table.csv'));
  });

  test('archive in mirror when member is absent', async () => {
    const opts = options({ dataDir: mirror, offline: true });
    const data = await fetchUrlData({ url: `${base}/nothing/archive.zip`, member: 'README.txt', sha256: sha256Hex('about') }, opts);
    expect(decode(data.bytes)).toBe('about');
    expect(data.file).toBe(`${join(mirror, 'archive.zip')}!/README.txt`);
  });

  test('mirror checksum mismatch names both hashes', async () => {
    const wrong = 'a'.repeat(64);
    const opts = options({ dataDir: mirror, offline: true });
    const error = await expectInputError(fetchUrlData({ url: `${base}/x/table.csv`, sha256: wrong }, opts), [new RegExp(`expected sha256 ${wrong}, got ${CSV_SHA}`)]);
    expect(error.location?.file).toBe(join(mirror, 'b', 'deep', 'table.csv'));
    expect(requests).toEqual([]);
  });

  test('offline with mirror miss', async () => {
    const opts = options({ dataDir: mirror, offline: true });
    await expectInputError(fetchUrlData({ url: `${base}/x/absent.csv`, sha256: CSV_SHA }, opts), [/it is not under RECON_DATA_DIR=/, /contains absent\.csv/]);
  });
});
