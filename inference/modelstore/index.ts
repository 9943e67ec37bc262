export { resolveModel, FIXTURE_DIR, FIXTURE_MODEL_ID, type ResolvedModel, type ResolveModelOptions, type ModelSource } from './resolve.js';
export { fetchSnapshot, findCachedSnapshot, type CompleteSnapshot, type SnapshotRequest, type SnapshotEvent, type FetchSnapshotOptions } from './snapshot.js';
export { checkForNewerRevision, RevisionChecker, type NewerRevision, type RevisionCheckOptions, type RevisionCheckerOptions } from './revision-check.js';
export { downloadVerifiedBlob, type DownloadEvent, type DownloadOptions } from './download.js';
export { headFile, resolveRevision, DEFAULT_HUB_URL, type HubOptions, type RemoteFile, type RevisionInfo } from './hub.js';
export { ModelStoreError, type ModelStoreErrorKind } from './errors.js';
export { DEFAULT_MODEL_REPO, MODEL_MANIFESTS, QUANTIZATIONS, filesFor, manifestFor, type ModelManifest, type OnnxFiles, type Quantization } from './manifests.js';
export { hubCacheDir, repoCacheDir, snapshotDir, blobPath, markerPath, COMMIT_HASH } from './cache-layout.js';
