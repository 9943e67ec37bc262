import { modelInfo } from '@huggingface/hub';
import { ModelStoreError, isNetworkError } from './errors.js';
import { normalizeEtag } from './verify.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

export interface HubOptions {
  /** HF_ENDPOINT; tests point it at a local fake Hub. */
  hubUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
}

export interface RevisionInfo {
  commit: string;
  /** Every file of the repo at that commit. */
  files: string[];
}

/** A branch, tag or commit → the commit it names now, with the repo's file list (Hub API via @huggingface/hub). */
export async function resolveRevision(repo: string, revision: string, options: HubOptions = {}): Promise<RevisionInfo> {
  try {
    const info = await modelInfo({
      name: repo,
      revision,
      hubUrl: options.hubUrl ?? DEFAULT_HUB_URL,
      fetch: options.fetch,
      additionalFields: ['sha', 'filePaths'],
    });
    if (typeof info.sha !== 'string' || info.sha === '') {
      throw new ModelStoreError('http', `the Hub's answer for ${repo}@${revision} has no commit hash`);
    }
    return { commit: info.sha, files: info.filePaths ?? [] };
  } catch (err) {
    throw hubError(err, `${repo}@${revision}`);
  }
}

export interface RemoteFile {
  path: string;
  /** sha256 (LFS) or git blob oid: the expected digest and the blob's name in the cache. */
  etag: string;
  size: number;
  /** Where the bytes are: the CDN URL the Hub redirects to, or the resolve URL itself. */
  url: string;
  /** The commit the Hub resolved the request to (X-Repo-Commit). */
  commit: string | undefined;
}

/**
 * HEAD of the resolve URL, as huggingface_hub does it: relative redirects (renamed repos) are followed,
 * the absolute redirect to the CDN is not, because the metadata we need (X-Linked-Etag: the LFS
 * sha256, X-Linked-Size) is on the Hub's own response, not the CDN's.
 */
export async function headFile(repo: string, commit: string, path: string, options: HubOptions = {}): Promise<RemoteFile> {
  const doFetch = options.fetch ?? fetch;
  const hubUrl = options.hubUrl ?? DEFAULT_HUB_URL;
  let url = `${hubUrl}/${repo}/resolve/${encodeURIComponent(commit)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  for (let hop = 0; hop < 5; hop++) {
    let res: Response;
    try {
      // identity: a compressed response's Content-Length would not be the file's size
      res = await doFetch(url, { method: 'HEAD', redirect: 'manual', headers: { 'accept-encoding': 'identity' } });
    } catch (err) {
      throw hubError(err, `${repo}/${path}`);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location && location.startsWith('/') && !location.startsWith('//')) {
      url = new URL(location, url).href;
      continue;
    }
    if (res.status === 404) throw new ModelStoreError('not_found', `${repo} has no file ${path} at ${commit}`);
    if (!(res.ok || (res.status >= 300 && res.status < 400))) {
      throw new ModelStoreError('http', `HEAD ${url} answered ${res.status}`);
    }
    const etag = normalizeEtag(res.headers.get('x-linked-etag') ?? res.headers.get('etag'));
    const size = Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length'));
    if (!etag) throw new ModelStoreError('unverifiable', `the Hub sent no ETag for ${repo}/${path}`);
    if (!Number.isSafeInteger(size) || size < 0) throw new ModelStoreError('http', `the Hub sent no size for ${repo}/${path}`);
    return {
      path,
      etag,
      size,
      url: location ? new URL(location, url).href : url,
      commit: res.headers.get('x-repo-commit') ?? undefined,
    };
  }
  throw new ModelStoreError('http', `too many redirects resolving ${repo}/${path}`);
}

function hubError(err: unknown, what: string): ModelStoreError {
  if (err instanceof ModelStoreError) return err;
  const status = (err as { statusCode?: unknown }).statusCode;
  if (status === 404 || status === 401) {
    // the Hub answers 401 for a repo that does not exist (or is private) to anonymous callers
    return new ModelStoreError('not_found', `${what} was not found on the Hub (HTTP ${status})`, { cause: err });
  }
  if (typeof status === 'number') return new ModelStoreError('http', `the Hub answered ${status} for ${what}`, { cause: err });
  if (isNetworkError(err)) return new ModelStoreError('offline', `cannot reach the Hub for ${what}: ${(err as Error).message}`, { cause: err });
  return new ModelStoreError('http', `unexpected answer from the Hub for ${what}: ${(err as Error).message}`, { cause: err });
}
