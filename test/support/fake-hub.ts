import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Hugging Face Hub on 127.0.0.1, answering the requests the model store makes
 * the way the Hub does:
 * - GET /api/models/{repo}/revision/{rev}     JSON with `sha` and `siblings`
 * - HEAD|GET /{repo}/resolve/{rev}/{path}     LFS files: 302 to the CDN with X-Linked-Etag (sha256) and
 *                                             X-Linked-Size; small files: 200 with ETag = git blob oid.
 *                                             Both carry X-Repo-Commit.
 * - HEAD|GET /cdn/{sha256}                    the bytes, with Range support (206 + Content-Range, 416)
 * plus injectable faults: corrupted bytes, a connection cut once mid-body, a stalled body, a slow body.
 */
export interface FakeFile {
  path: string;
  content: Buffer;
  /** Stored with Git LFS (served through the CDN redirect, identified by sha256). */
  lfs: boolean;
}

export interface FakeRepoInput {
  repo: string;
  /** commit hash → files at that commit */
  commits: Record<string, FakeFile[]>;
  /** branch → commit hash */
  refs: Record<string, string>;
}

export interface LoggedRequest {
  method: string;
  path: string;
  range: string | undefined;
}

export interface Faults {
  /** Paths whose served bytes differ from the advertised sha256 (one byte flipped). */
  corrupt: Set<string>;
  /** Path → bytes to send before cutting the connection, once. */
  interruptOnce: Map<string, number>;
  /** Path → bytes to send before going silent (the socket stays open), once. */
  stallOnce: Map<string, number>;
  /** Path → body sent in chunks of `chunkBytes` with `delayMs` between them. */
  slow: Map<string, { chunkBytes: number; delayMs: number }>;
}

export interface FakeHub {
  url: string;
  requests: LoggedRequest[];
  faults: Faults;
  /** Moves a branch (simulates a new commit on the Hub). */
  setRef(repo: string, branch: string, commit: string): void;
  close(): Promise<void>;
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function gitBlobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A deterministic commit-like hash for tests. */
export function fakeCommit(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export async function startFakeHub(repos: FakeRepoInput[]): Promise<FakeHub> {
  const byRepo = new Map(repos.map((r) => [r.repo, { ...r, refs: { ...r.refs } }]));
  const blobs = new Map<string, FakeFile>();
  for (const repo of repos) for (const files of Object.values(repo.commits)) for (const f of files) blobs.set(sha256(f.content), f);

  const faults: Faults = { corrupt: new Set(), interruptOnce: new Map(), stallOnce: new Map(), slow: new Map() };
  const requests: LoggedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let baseUrl = '';

  const commitOf = (repo: string, rev: string): string | undefined => {
    const r = byRepo.get(repo);
    if (!r) return undefined;
    if (r.commits[rev]) return rev;
    return r.refs[rev];
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method ?? 'GET', path, range: req.headers.range });

    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(path);
    if (api) return answerRevision(res, api[1]!, api[2]!);

    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path);
    if (cdn) {
      const file = blobs.get(cdn[1]!);
      if (!file) return notFound(res, 'EntryNotFound');
      return sendBytes(req, res, file, { etag: `"${cdn[1]}"` });
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve) {
      const [, repo, rev, filePath] = resolve as unknown as [string, string, string, string];
      const commit = commitOf(repo, rev);
      if (!commit) return notFound(res, 'RevisionNotFound');
      const file = byRepo.get(repo)!.commits[commit]!.find((f) => f.path === filePath);
      if (!file) return notFound(res, 'EntryNotFound');
      if (file.lfs) {
        const oid = sha256(file.content);
        res.writeHead(302, {
          location: `${baseUrl}/cdn/${oid}`,
          'x-repo-commit': commit,
          'x-linked-etag': `"${oid}"`,
          'x-linked-size': String(file.content.length),
          // the Hub's own ETag on the redirect is not the content hash: clients must prefer X-Linked-Etag
          etag: `"${gitBlobOid(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\n`))}"`,
          'content-length': '0',
        });
        return res.end();
      }
      return sendBytes(req, res, file, { etag: `"${gitBlobOid(file.content)}"`, 'x-repo-commit': commit });
    }
    notFound(res, 'RepoNotFound');
  });

  function answerRevision(res: ServerResponse, repo: string, rev: string): void {
    const commit = commitOf(repo, rev);
    if (!commit) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-error-code': 'RevisionNotFound' });
      return void res.end(JSON.stringify({ error: 'Invalid rev id' }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        _id: `fake-${repo}`,
        id: repo,
        sha: commit,
        private: false,
        gated: false,
        downloads: 0,
        likes: 0,
        lastModified: '2024-01-01T00:00:00.000Z',
        pipeline_tag: 'translation',
        siblings: byRepo.get(repo)!.commits[commit]!.map((f) => ({ rfilename: f.path })),
      }),
    );
  }

  function sendBytes(req: IncomingMessage, res: ServerResponse, file: FakeFile, headers: Record<string, string>): void {
    let body = file.content;
    if (faults.corrupt.has(file.path)) {
      body = Buffer.from(body);
      body[body.length >> 1] = (body[body.length >> 1]! + 1) & 0xff;
    }
    const total = body.length;
    let start = 0;
    let end = total - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), total - 1) : total - 1;
      if (start >= total) {
        res.writeHead(416, { 'content-range': `bytes */${total}` });
        return void res.end();
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${total}`;
    }
    const slice = body.subarray(start, end + 1);
    res.writeHead(status, { ...headers, 'accept-ranges': 'bytes', 'content-length': String(slice.length), 'content-type': 'application/octet-stream' });
    if (req.method === 'HEAD') return void res.end();

    const cut = faults.interruptOnce.get(file.path);
    if (cut !== undefined) {
      faults.interruptOnce.delete(file.path);
      res.write(slice.subarray(0, cut), () => res.socket?.destroy());
      return;
    }
    const stall = faults.stallOnce.get(file.path);
    if (stall !== undefined) {
      faults.stallOnce.delete(file.path);
      res.write(slice.subarray(0, stall)); // and never end: the client's stall timeout must fire
      return;
    }
    const slow = faults.slow.get(file.path);
    if (slow) return void writeSlowly(res, slice, slow.chunkBytes, slow.delayMs);
    res.end(slice);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    requests,
    faults,
    setRef(repo, branch, commit) {
      byRepo.get(repo)!.refs[branch] = commit;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function notFound(res: ServerResponse, code: string): void {
  res.writeHead(404, { 'x-error-code': code, 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: code }));
}

async function writeSlowly(res: ServerResponse, body: Buffer, chunkBytes: number, delayMs: number): Promise<void> {
  for (let offset = 0; offset < body.length; offset += chunkBytes) {
    if (res.destroyed) return;
    res.write(body.subarray(offset, offset + chunkBytes));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  res.end();
}
