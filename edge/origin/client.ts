import type { TranslateOptions } from '../../shared/contract/translate.js';
import type { BatchTranslationResponse } from '../../shared/contract/translate.js';
import type { DetectResponse } from '../../shared/contract/detect.js';
import type { OriginState } from '../../shared/contract/health.js';

/** What the edge knows about the caller, forwarded to the container (outbound fetches lose CF-Connecting-IP). */
export interface OriginCallMeta {
  requestId: string;
  clientIp: string;
  /** Aborts the call (and the container's work) when nobody waits for its answer any more. */
  signal?: AbortSignal;
}

/** The container's translate body: our own TranslateRequest, with only the cache misses, always as an array. */
export interface OriginTranslateRequest {
  text: string[];
  target_language: string;
  source_language?: string;
  options: TranslateOptions;
}

export interface OriginDetectRequest {
  text: string;
  top_k: number;
}

/**
 * The edge's view of the inference containers. Every answer is schema-validated before it is returned;
 * every failure is an AppError with a shared code (UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, or an origin
 * 4xx/503 envelope passed through).
 */
export interface OriginClient {
  translate(body: OriginTranslateRequest, meta: OriginCallMeta): Promise<BatchTranslationResponse>;
  detect(body: OriginDetectRequest, meta: OriginCallMeta): Promise<DetectResponse>;
  /** Per-origin state for GET /health (no I/O). */
  states(): OriginState[];
  /**
   * The model labels of the origins that could answer now, as learned from their answers (no I/O): the
   * labels the translation cache may be read under (edge/origin/model-labels.ts). Optional so a client
   * built for a test need not know about the cache; one without it never reads the cache unless MODEL_ID
   * names a label.
   */
  servingModels?(): string[];
}
