/**
 * Why a model could not be fetched or used. `kind` lets the CLI and the server react (offline → fall
 * back to the fixture; checksum → the download was refused and removed) without parsing messages.
 */
export type ModelStoreErrorKind =
  | 'offline' // the Hub could not be reached
  | 'not_found' // repo, revision or file does not exist
  | 'http' // the Hub answered with an unexpected status
  | 'checksum' // the bytes do not match the Hub's sha256 / git oid
  | 'size' // the bytes do not match the advertised size
  | 'unverifiable' // the Hub gave no checksum we know how to verify
  | 'interrupted' // the transfer kept failing after every retry (the partial file is kept for resume)
  | 'invalid_model'; // a local folder lacks the files the engine needs

export class ModelStoreError extends Error {
  constructor(
    readonly kind: ModelStoreErrorKind,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelStoreError';
  }
}

/** fetch rejects with a TypeError ("fetch failed") when there is no connection at all. */
export function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError'));
}
