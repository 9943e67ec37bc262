import { createHash } from 'node:crypto';
import { lstat, readFile, readlink, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ModelStoreError,
  blobPath,
  fetchSnapshot,
  markerPath,
  repoCacheDir,
  resolveModel,
  snapshotDir,
  type SnapshotEvent,
} from '../../../inference/modelstore/index.js';
import { gitBlobOid, sha256, startFakeHub, type FakeFile, type FakeHub } from '../../support/fake-hub.js';
import { COMMIT_A, COMMIT_B, DECODER, ENCODER, REPO, modelConfig, repoFiles, tempHfHome } from './fixtures.js';

let hub: FakeHub;
let files: FakeFile[];
let filesB: FakeFile[];
let hfHome: string;
let cleanup: () => Promise<void>;

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fast = { retryDelayMs: 5, stallTimeoutMs: 5_000 };
const fileOf = (path: string) => files.find((f) => f.path === path)!;
const cdnGets = (path: string) => hub.requests.filter((r) => r.method === 'GET' && r.path === `/cdn/${sha256(fileOf(path).content)}`);

beforeEach(async () => {
  files = await repoFiles();
  filesB = await repoFiles('-b');
  hub = await startFakeHub([{ repo: REPO, commits: { [COMMIT_A]: files, [COMMIT_B]: filesB }, refs: { main: COMMIT_A } }]);
  ({ dir: hfHome, cleanup } = await tempHfHome());
});

afterEach(async () => {
  await hub.close();
  await cleanup();
});

describe('fetchSnapshot', () => {
  it('downloads every file of the manifest into the Hugging Face cache layout', async () => {
    const events: SnapshotEvent[] = [];
    const snapshot = await fetchSnapshot(
      { repo: REPO, revision: 'main', quantization: 'int8', hfHome },
      { hubUrl: hub.url, onEvent: (e) => events.push(e), ...fast },
    );

    expect(snapshot.commit).toBe(COMMIT_A);
    expect(snapshot.dir).toBe(join(hfHome, 'hub', 'models--Xenova--nllb-200-distilled-600M', 'snapshots', COMMIT_A));
    expect((await readFile(join(repoCacheDir(hfHome, REPO), 'refs', 'main'), 'utf8')).trim()).toBe(COMMIT_A);

    for (const file of files) {
      const link = join(snapshot.dir, file.path);
      // a relative symlink into blobs/, named by sha256 (LFS) or git blob oid (small files)
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(link)).not.toMatch(/^\//);
      const etag = file.lfs ? sha256(file.content) : gitBlobOid(file.content);
      expect(digest(await readFile(link))).toBe(digest(file.content));
      expect(digest(await readFile(blobPath(hfHome, REPO, etag)))).toBe(digest(file.content));
    }
    expect(await stat(markerPath(hfHome, REPO, COMMIT_A, 'int8'))).toBeTruthy();
    expect(events.filter((e) => e.type === 'done')).toHaveLength(files.length);
    expect(events.some((e) => e.type === 'progress')).toBe(true);

    // the metadata came from HEAD requests at the pinned commit, not at the moving branch
    const heads = hub.requests.filter((r) => r.method === 'HEAD');
    expect(heads).toHaveLength(files.length);
    expect(heads.every((r) => r.path.includes(`/resolve/${COMMIT_A}/`))).toBe(true);

    // a second run finds the complete snapshot and transfers nothing
    const before = hub.requests.length;
    await fetchSnapshot({ repo: REPO, revision: 'main', quantization: 'int8', hfHome }, { hubUrl: hub.url });
    expect(hub.requests.slice(before).map((r) => r.path)).toEqual([expect.stringMatching(/^\/api\/models\//)]);
  });

  it('resumes an interrupted transfer with a Range request and verifies the whole file', async () => {
    const cut = 100_000;
    hub.faults.interruptOnce.set(ENCODER, cut);
    const events: SnapshotEvent[] = [];
    await fetchSnapshot({ repo: REPO, revision: 'main', quantization: 'int8', hfHome }, { hubUrl: hub.url, onEvent: (e) => events.push(e), ...fast });

    const gets = cdnGets(ENCODER);
    expect(gets).toHaveLength(2);
    expect(gets[0]!.range).toBeUndefined();
    expect(gets[1]!.range).toBe(`bytes=${cut}-`);
    expect(events.some((e) => e.type === 'retry' && e.path === ENCODER)).toBe(true);
    const bytes = await readFile(join(snapshotDir(hfHome, REPO, COMMIT_A), ENCODER));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256(fileOf(ENCODER).content));
  });

  it('keeps the partial file when retries run out, and the next run resumes it', async () => {
    hub.faults.interruptOnce.set(ENCODER, 65_536);
    const request = { repo: REPO, revision: 'main', quantization: 'int8' as const, hfHome };
    const first = fetchSnapshot(request, { hubUrl: hub.url, maxAttempts: 1, ...fast });
    await expect(first).rejects.toMatchObject({ kind: 'interrupted' });
    const partial = `${blobPath(hfHome, REPO, sha256(fileOf(ENCODER).content))}.incomplete`;
    expect((await stat(partial)).size).toBe(65_536);

    await fetchSnapshot(request, { hubUrl: hub.url, ...fast });
    expect(cdnGets(ENCODER).map((r) => r.range)).toEqual([undefined, 'bytes=65536-']);
    expect(digest(await readFile(join(snapshotDir(hfHome, REPO, COMMIT_A), ENCODER)))).toBe(digest(fileOf(ENCODER).content));
  });

  it('aborts a stalled transfer and resumes it', async () => {
    hub.faults.stallOnce.set(DECODER, 50_000);
    await fetchSnapshot({ repo: REPO, revision: 'main', quantization: 'int8', hfHome }, { hubUrl: hub.url, retryDelayMs: 5, stallTimeoutMs: 300 });
    expect(cdnGets(DECODER).map((r) => r.range)).toEqual([undefined, 'bytes=50000-']);
    expect(digest(await readFile(join(snapshotDir(hfHome, REPO, COMMIT_A), DECODER)))).toBe(digest(fileOf(DECODER).content));
  });

  it('reports progress through a slow body', async () => {
    hub.faults.slow.set(ENCODER, { chunkBytes: 32 * 1024, delayMs: 5 });
    const progress: number[] = [];
    await fetchSnapshot(
      { repo: REPO, revision: 'main', quantization: 'int8', hfHome },
      { hubUrl: hub.url, onEvent: (e) => e.type === 'progress' && e.path === ENCODER && progress.push(e.downloaded), ...fast },
    );
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(fileOf(ENCODER).content.length);
  });

  it('refuses a corrupted file: clear error, nothing kept, snapshot not complete, never served', async () => {
    hub.faults.corrupt.add(DECODER);
    const request = { repo: REPO, revision: 'main', quantization: 'int8' as const, hfHome };
    const error = await fetchSnapshot(request, { hubUrl: hub.url, ...fast }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelStoreError);
    expect(error).toMatchObject({ kind: 'checksum' });
    expect((error as Error).message).toContain(DECODER);
    expect((error as Error).message).toContain(sha256(fileOf(DECODER).content));

    const blobs = await readdir(join(repoCacheDir(hfHome, REPO), 'blobs'));
    expect(blobs).not.toContain(sha256(fileOf(DECODER).content));
    expect(blobs.filter((b) => b.endsWith('.incomplete'))).toEqual([]);
    await expect(stat(markerPath(hfHome, REPO, COMMIT_A, 'int8'))).rejects.toThrow();

    const resolved = await resolveModel(modelConfig(hfHome, hub.url));
    expect(resolved).toMatchObject({ source: 'fixture', fixture: true });
    const retried = await resolveModel(modelConfig(hfHome, hub.url, { autoDownload: true }), fast);
    expect(retried.source).toBe('fixture');
    expect(retried.reason).toMatch(/does not match/);
  });

  it('pins a revision: a commit downloads that commit, whatever the branch says', async () => {
    hub.setRef(REPO, 'main', COMMIT_B);
    const pinned = await fetchSnapshot({ repo: REPO, revision: COMMIT_A, quantization: 'int8', hfHome }, { hubUrl: hub.url, ...fast });
    expect(pinned.commit).toBe(COMMIT_A);
    expect(digest(await readFile(join(pinned.dir, ENCODER)))).toBe(digest(fileOf(ENCODER).content));
    // a commit is its own ref: refs/main was not written
    await expect(stat(join(repoCacheDir(hfHome, REPO), 'refs', 'main'))).rejects.toThrow();

    expect(await resolveModel(modelConfig(hfHome, hub.url, { revision: COMMIT_A }))).toMatchObject({ source: 'cache', revision: COMMIT_A });
    // main (now COMMIT_B) was never downloaded
    expect((await resolveModel(modelConfig(hfHome, hub.url, { revision: 'main' }))).source).toBe('fixture');

    const main = await fetchSnapshot({ repo: REPO, revision: 'main', quantization: 'int8', hfHome }, { hubUrl: hub.url, ...fast });
    expect(main.commit).toBe(COMMIT_B);
    expect(digest(await readFile(join(main.dir, ENCODER)))).toBe(digest(filesB.find((f) => f.path === ENCODER)!.content));
  });

  it('names a missing revision or file clearly', async () => {
    await expect(
      fetchSnapshot({ repo: REPO, revision: 'no-such-branch', quantization: 'int8', hfHome }, { hubUrl: hub.url }),
    ).rejects.toMatchObject({ kind: 'not_found', message: expect.stringContaining('no-such-branch') });
    await expect(
      fetchSnapshot({ repo: 'someone/else', revision: 'main', quantization: 'int8', hfHome }, { hubUrl: hub.url }),
    ).rejects.toMatchObject({ kind: 'not_found' });

    const partial = await startFakeHub([{ repo: REPO, commits: { [COMMIT_A]: files.filter((f) => f.path !== DECODER) }, refs: { main: COMMIT_A } }]);
    try {
      await expect(
        fetchSnapshot({ repo: REPO, revision: 'main', quantization: 'int8', hfHome }, { hubUrl: partial.url }),
      ).rejects.toMatchObject({ kind: 'not_found', message: expect.stringContaining(`lacks ${DECODER}`) });
    } finally {
      await partial.close();
    }
  });
});
